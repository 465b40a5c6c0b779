#!/usr/bin/env bash
# Screenshot of a `gequiv paper` page in headless Chromium: the top 1200 × 2400 px of OUTDIR/index.html
# as PNG, the picture the README shows (docs/images/paper-quick.png).
#   tools/paper-screenshot.sh OUTDIR PNG
# Needs chromium (Debian: apt-get install chromium) and java (the PNG is rewritten with a palette of 256
# colours by tools/PngPalette.java: 480 kB -> 200 kB for the --quick page). Environment: CHROMIUM (default:
# the first of chromium, chromium-browser, google-chrome on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -ne 2 ]]; then
    echo "usage: $0 OUTDIR PNG   (OUTDIR holds the index.html written by gequiv paper)" >&2
    exit 2
fi
page="$1/index.html"
if [[ ! -f $page ]]; then
    echo "$0: OUTDIR must hold index.html, got $1 (run ./gequiv paper --out $1 first)" >&2
    exit 2
fi
browser="${CHROMIUM:-}"
if [[ -z $browser ]]; then
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            browser="$b"
            break
        fi
    done
fi
if [[ -z $browser ]]; then
    echo "$0: no chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM)" >&2
    exit 2
fi
mkdir -p "$(dirname "$2")"
png="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
abs_page="$(cd "$(dirname "$page")" && pwd)/index.html"

# a profile of its own, so that a running browser's lock or settings do not change the picture
profile="$(mktemp -d)"
log="$profile.log"
trap 'rm -rf "$profile" "$log" "$profile.png"' EXIT
flags=(--headless --disable-gpu --hide-scrollbars --user-data-dir="$profile" --window-size=1200,2400
    --screenshot="$profile.png")
# Chromium refuses to start its sandbox as root (containers); the page is a local file without script
if [[ $(id -u) -eq 0 ]]; then
    flags+=(--no-sandbox)
fi
# Chromium logs harmless D-Bus and GPU complaints on stderr: kept, and shown only when it fails
if ! "$browser" "${flags[@]}" "file://$abs_page" >"$log" 2>&1 || [[ ! -s $profile.png ]]; then
    cat "$log" >&2
    echo "$0: $browser wrote no screenshot" >&2
    exit 1
fi
java "$here/PngPalette.java" "$profile.png" "$png"
echo "wrote $png ($(wc -c <"$png") bytes) from $abs_page"
