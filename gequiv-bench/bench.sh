#!/usr/bin/env bash
# Whole-process timings of gequiv as users measure them (issue 11): each row of the issue's table,
# gequiv's side only (a reviewer runs the authors' anchors on the same machine). Wall times from
# `date +%s.%N` around each process, median of --repeats runs; a fixed cost is separated from a
# per-sample (or per-point) cost by two runs of different length (intercept of the straight line).
#
#   gequiv-bench/bench.sh                 the quick rows (a few minutes)
#   gequiv-bench/bench.sh --long          also the DCGAN online run at N = 3072, t = 100 (minutes to hours)
#   BENCH_PIN="taskset -c 0" gequiv-bench/bench.sh    pin to one core, as the issue's table was measured
#   gequiv-bench/bench.sh --only=help,erm   only the named rows: help, erm, moments, record (online per
#                                           recorded time, 10 against 2000 of them, at least 5 pairs),
#                                           setup (from a generator at N = 3072: the default path, and
#                                           the eigendecomposition with OpenBLAS's default threads and
#                                           with one), ode
#
# On a shared machine the numbers are noisy: compare ratios measured side by side in one run.
# The moments rows use more samples than N = 3072: below N the estimator keeps float64 products
# (docs/theory.md §7.2), which is not the float32 path being timed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
g="$here/gequiv"
repeats=3
long=0
only=help,erm,moments,record,setup,ode
for a in "$@"; do
    case $a in
        --long) long=1 ;;
        --repeats=*) repeats=${a#--repeats=} ;;
        --only=*) only=${a#--only=} ;;
        *) echo "bench.sh: unknown argument $a (expected --long, --repeats=N, --only=ROW,...)" >&2; exit 2 ;;
    esac
done
for r in ${only//,/ }; do
    case $r in
        help | erm | moments | record | setup | ode) ;;
        *) echo "bench.sh: --only must name rows among help, erm, moments, record, setup, ode, got $r" >&2; exit 2 ;;
    esac
done
# whether row $1 is selected
selected() { [[ ,$only, == *,$1,* ]]; }
pin=${BENCH_PIN:-}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$g" --version >/dev/null   # builds the jar and its class-data-sharing archive if needed

# median wall seconds of $repeats runs of the command; the median user+sys CPU seconds (from
# /usr/bin/time, children included) go to $work/cpu, which `timed` reports beside the wall time
wall() {
    local times=() cpus=()
    for ((r = 0; r < repeats; r++)); do
        rm -rf "$work/out"
        local t0 t1
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086
        /usr/bin/time -f '%U %S' -o "$work/time" $pin "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc -l)")
        cpus+=("$(awk '{print $1 + $2}' "$work/time")")
    done
    printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((repeats + 1) / 2))p" >"$work/cpu"
    printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((repeats + 1) / 2))p"
}

# "wall s (user+sys s)" of the command, medians of $repeats runs
timed() {
    local w
    w=$(wall "$@")
    printf '%.2f (user+sys %.2f)' "$w" "$(cat "$work/cpu")"
}

row() { printf '%-58s %s\n' "$1" "$2"; }

echo "# gequiv whole-process timings, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown), pin: ${pin:-none}, median of $repeats"

if selected help; then
    row "gequiv --help (s)" "$(timed "$g" --help)"
fi
if selected erm; then
    row "gequiv erm --no-simulate, one point (s)" \
        "$(timed "$g" erm --no-simulate --alpha 1 --lambda 0.1 --out "$work/out")"
    # the same point on the Lanczos quadrature (docs/theory.md §5.12, "ERM (§6)"), and the default
    # 12 α both ways: compare the pairs, measured side by side
    row "gequiv erm --no-simulate, one point, lanczos (s)" \
        "$(timed "$g" erm --no-simulate --alpha 1 --lambda 0.1 --spectral-method lanczos --out "$work/out")"
    row "gequiv erm --no-simulate, 12 alpha, eigen (s)" "$(timed "$g" erm --no-simulate --out "$work/out")"
    row "gequiv erm --no-simulate, 12 alpha, lanczos (s)" \
        "$(timed "$g" erm --no-simulate --spectral-method lanczos --out "$work/out")"
fi

for p in float32 float64; do
    selected moments || break
    short=$(wall "$g" moments --generator dcgan --precision "$p" --samples 3328 --threads 1 --no-checkpoint --out "$work/out/m.npz")
    longer=$(wall "$g" moments --generator dcgan --precision "$p" --samples 4352 --threads 1 --no-checkpoint --out "$work/out/m.npz")
    rate=$(echo "1024 / ($longer - $short)" | bc -l)
    fixed=$(echo "$short - 3328 / $rate" | bc -l)
    row "moments dcgan $p, one thread: samples/s" "$(printf '%.1f' "$rate")"
    # the intercept includes start-up, set-up (the random DCGAN's batch-norm calibration unless
    # .gequiv-cache holds it) and the final check of Ω: at P < N Ω is rank-deficient, yet the
    # Cholesky of Ω + 1e-8·ℓ·I succeeds (measured at P = 256 in both precisions), so no
    # eigendecomposition; ~0.45 s CPU single-threaded at N = 3072
    row "moments dcgan $p: fixed cost, start-up to exit (s)" "$(printf '%.2f' "$fixed")"
done

# each recorded time of `online` (issue 11's ≤ 1 ms): 10 against 2000 recorded times evenly over the
# same range, t = 5 (2500 SGD steps; the 2000 each at its own step, 1.25 samples apart), run as pairs
# one after the other; per pair the difference / 1990 of the whole process's wall and user+sys CPU
# time and of run.json's "simulation" and "outputs" phases (SGD with the test-set evaluations; the
# figures and tables), then the median and range over max(5, --repeats) pairs
# the wall seconds of phase $2 in the timings of run.json $1
phase() {
    awk -v p="\"$2\"" '/"timings"/ { t = 1 } t && index($0, p " : {") { f = 1; next }
        f && /"wall"/ { gsub(/[^0-9.eE-]/, "", $3); print $3; exit }' "$1"
}
# "median (range min … max)" of the numbers on stdin, two decimals
spread() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.2f (range %.2f … %.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
if selected record; then
    times10=$(seq -s, 0.5 0.5 5)
    times2000=$(seq -s, 0.0025 0.0025 5)
    pairs=$((repeats > 5 ? repeats : 5))
    : >"$work/record"
    for ((i = 0; i < pairs; i++)); do
        line=""
        for times in "$times10" "$times2000"; do
            rm -rf "$work/out"
            t0=$(date +%s.%N)
            # shellcheck disable=SC2086
            /usr/bin/time -f '%U %S' -o "$work/time" $pin "$g" online -N 500 --test-samples 10000 --print-times="$times" \
                --no-theory --out "$work/out" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
            t1=$(date +%s.%N)
            line+=" $(echo "$t1 - $t0" | bc -l) $(awk '{print $1 + $2}' "$work/time")"
            line+=" $(phase "$work/out/run.json" simulation) $(phase "$work/out/run.json" outputs)"
        done
        echo "$line" >>"$work/record"
    done
    # columns: wall, cpu, simulation, outputs of the 10-point run, then of the 2000-point run
    per() { awk -v c="$1" '{ print ($(c + 4) - $c) * 1000 / 1990 }' "$work/record" | spread; }
    row "online N = 500, 1e4 test samples: per recorded time (ms)" "$(per 1) (user+sys $(per 2); $pairs pairs)"
    row "  of it the simulation phase (SGD, test-set evaluations) (ms)" "$(per 3)"
    row "  of it the outputs phase (figures, curve.csv, run.json) (ms)" "$(per 4)"
fi

if selected setup; then
    row "online set-up from single-layer N = 3072, D = 1536, theory to t = 0.01 (s)" \
        "$(timed "$g" online -N 3072 -D 1536 --time 0.01 --no-simulate --out "$work/out")"
    # the eigendecomposition path with OpenBLAS's default threads (one per core) and with one: whether
    # the second core speeds LAPACK's dsyevd up (docs/performance-history.md: on a loaded machine it slowed it)
    row "  the same, --spectral-method eigen (s)" \
        "$(timed "$g" online -N 3072 -D 1536 --time 0.01 --no-simulate --spectral-method eigen --out "$work/out")"
    # run.json's timings of that row's last run: the set-up of issue 11 (parsed options to the first ODE
    # step, less the eigendecomposition) and the eigendecomposition itself
    row "  its set-up outside the eigendecomposition, last run (s)" \
        "$(sed -n 's/.*"setupExceptEigendecomposition" : \([0-9.eE-]*\).*/\1/p' "$work/out/run.json") (eigendecomposition $(sed -n 's/.*"eigendecomposition" : \([0-9.eE-]*\).*/\1/p' "$work/out/run.json"))"
    row "  the same, eigen, OPENBLAS_NUM_THREADS=1 (s)" \
        "$(timed env OPENBLAS_NUM_THREADS=1 "$g" online -N 3072 -D 1536 --time 0.01 --no-simulate \
            --spectral-method eigen --out "$work/out")"
fi

if selected ode; then
    # the ODE rows integrate given initial densities, as deepgen_ode.cpp does: those of the set-up above
    mkdir -p "$work/keep"
    "$g" online -N 3072 -D 1536 --time 0.01 --no-simulate --save-init "$work/keep/init3072.npz" --out "$work/out" \
        >/dev/null 2>&1
    row "ODE N = 3072 from --init, Euler dt 0.01 to t = 100 (s)" \
        "$(wall "$g" online --init "$work/keep/init3072.npz" --integrator euler --dt 0.01 --time 100 --out "$work/out")"
    row "ODE N = 3072 from --init, adaptive to t = 100 (s)" \
        "$(wall "$g" online --init "$work/keep/init3072.npz" --time 100 --out "$work/out")"
fi

if ((long)); then
    # the DCGAN has no analytic moments: its theory needs a moments file (Monte Carlo, P = 3·10⁴ here)
    repeats=1
    row "moments dcgan P = 3e4, two threads (s)" \
        "$(wall "$g" moments --generator dcgan --samples 30000 --threads 2 --no-checkpoint --out "$work/keep/m.npz")"
    row "online dcgan N = 3072, t = 100 (3e5 samples), with theory (s)" \
        "$(wall "$g" online --generator dcgan --moments "$work/keep/m.npz" --time 100 --out "$work/out")"
fi
