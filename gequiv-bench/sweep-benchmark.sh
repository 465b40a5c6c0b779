#!/usr/bin/env bash
# Benchmarks of 'gequiv sweep' (issue 12), each measured side by side in one run:
#   1. a 1000-point ERM theory sweep (--no-simulate) in one call, against separate 'gequiv erm' calls
#      (INVOCATIONS of them, default 50, extrapolated to 1000: the cost of a call does not depend on
#      the point);
#   2. throughput of a compute-bound online sweep (simulation only) on 1 and on 2 workers;
#   3. Spark's overhead per point on local[2]: the same ERM sweep with --spark local[2] against the
#      local executor with 2 workers (needs the gequiv-spark assembly and the Spark jars).
# Wall times are of the whole command (JVM start included), from bash's clock; on a shared machine
# they are noisy: compare the ratios, which are measured back to back.
#   gequiv-bench/sweep-benchmark.sh [WORK_DIR]   environment: INVOCATIONS (default 50), STEPS (default "1 2 3")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
invocations="${INVOCATIONS:-50}"
steps=" ${STEPS:-1 2 3} "
gequiv="$here/gequiv"

seconds() { # runs "$@" quietly, prints its wall time in seconds
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

alphas=$(python3 -c 'print(", ".join(str(round(0.25 + 0.25 * i, 2)) for i in range(40)))')
lambdas=$(python3 -c 'print(", ".join("%.4g" % (10 ** (-3 + 3 * i / 24)) for i in range(25)))')
for figures in true false; do
    cat > "$work/erm1000-$figures.toml" <<TOML
command = "erm"
point-figures = $figures
[options]
N = 200
D = 100
no-simulate = true
[grid]
alpha = [$alphas]
lambda = [$lambdas]
TOML
done

"$gequiv" --version >/dev/null   # builds the jar and its class-data archive once, outside the timings
# then the launcher's JVM command itself, so that an edited source tree cannot trigger a rebuild mid-run
jar="$here/gequiv-cli/target/gequiv.jar"
jsa="$here/gequiv-cli/target/gequiv.jsa"
cds=()
if [[ -f $jsa ]]; then
    cds=(-XX:SharedArchiveFile="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
gequiv_jvm() {
    java "${cds[@]}" -Xmx2g -Dorg.bytedeco.javacpp.cachedir="$here/.javacpp-cache" -jar "$jar" "$@"
}
gequiv=gequiv_jvm

if [[ $steps == *" 1 "* ]]; then
echo "== 1. 1000-point ERM theory sweep vs separate invocations"
rm -rf "$work/erm1000-true" "$work/erm1000-false"
t_sweep=$(seconds "$gequiv" sweep "$work/erm1000-true.toml" --out "$work/erm1000-true")
t_sweep_nofig=$(seconds "$gequiv" sweep "$work/erm1000-false.toml" --out "$work/erm1000-false")
start=$(date +%s.%N)
read -r -a A <<<"$(echo "$alphas" | tr -d ,)"
read -r -a L <<<"$(echo "$lambdas" | tr -d ,)"
for ((i = 0; i < invocations; i++)); do
    "$gequiv" erm --no-simulate -N 200 -D 100 --alpha "${A[$((i % 40))]}" --lambda "${L[$((i / 40 % 25))]}" \
        --out "$work/single/$i" >/dev/null 2>&1
done
end=$(date +%s.%N)
t_calls=$(echo "$end - $start" | bc -l)
t_per_call=$(echo "$t_calls / $invocations" | bc -l)
t_1000_calls=$(echo "$t_per_call * 1000" | bc -l)
printf 'sweep, 1000 points, with point figures:    %8.1f s\n' "$t_sweep"
printf 'sweep, 1000 points, point-figures = false: %8.1f s\n' "$t_sweep_nofig"
printf '%d gequiv erm calls: %.1f s, %.2f s each; 1000 calls extrapolated: %.0f s\n' "$invocations" "$t_calls" \
    "$t_per_call" "$t_1000_calls"
printf 'speed-up: %.1fx (with figures), %.1fx (without)\n' "$(echo "$t_1000_calls / $t_sweep" | bc -l)" \
    "$(echo "$t_1000_calls / $t_sweep_nofig" | bc -l)"

fi

if [[ $steps == *" 2 "* ]]; then
echo "== 2. online simulation sweep on 1 and 2 workers"
cat > "$work/online.toml" <<TOML
command = "online"
point-figures = false
[options]
N = 1000
D = 500
time = 20
log-points = 10
no-theory = true
[grid]
lr = [0.5, 1.0]
seeds = 2
TOML
rm -rf "$work/online-1" "$work/online-2"
t1=$(seconds "$gequiv" sweep "$work/online.toml" --out "$work/online-1" --workers 1)
t2=$(seconds "$gequiv" sweep "$work/online.toml" --out "$work/online-2" --workers 2)
cmp "$work/online-1/results.csv" "$work/online-2/results.csv"
printf '1 worker: %.1f s, 2 workers: %.1f s, throughput ratio %.2fx (results.csv identical)\n' "$t1" "$t2" \
    "$(echo "$t1 / $t2" | bc -l)"

fi

if [[ $steps == *" 3 "* ]]; then
echo "== 3. Spark overhead per point on local[2]"
jar="$here/gequiv-spark/target/gequiv-spark.jar"
if [[ ! -f $jar ]]; then
    (cd "$here" && mvn -B -q -pl gequiv-spark -am package -DskipTests)
fi
# the last module of the reactor (gequiv-spark) writes the file last; provided scope included
(cd "$here" && mvn -B -q -o -pl gequiv-spark -am compile dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$work/spark.classpath" >/dev/null)
cp="$jar:$(cat "$work/spark.classpath")"
rm -rf "$work/spark-local" "$work/local-2"
t_local=$(seconds java -Dorg.bytedeco.javacpp.cachedir="$here/.javacpp-cache" -cp "$cp" org.gequiv.cli.Main \
    sweep "$work/erm1000-false.toml" --out "$work/local-2" --workers 2)
t_spark=$(seconds java -Dorg.bytedeco.javacpp.cachedir="$here/.javacpp-cache" -Dspark.driver.host=127.0.0.1 \
    -Dspark.driver.bindAddress=127.0.0.1 -cp "$cp" org.gequiv.cli.Main \
    sweep "$work/erm1000-false.toml" --out "$work/spark-local" --spark 'local[2]')
cmp "$work/local-2/results.csv" "$work/spark-local/results.csv"
printf 'local, 2 workers: %.1f s; spark local[2]: %.1f s; overhead %.1f ms per point (context start included)\n' \
    "$t_local" "$t_spark" "$(echo "($t_spark - $t_local) / 1000 * 1000" | bc -l)"
fi
