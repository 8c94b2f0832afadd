#!/usr/bin/env bash
# Load and terminal benchmarks, as reported in the README's performance
# section: how long until the list is full, against reading the same files
# with ripgrep and cat in the same run.
#
# For each library size (default 2,000, 20,000 and 100,000 articles) this:
#   1. writes a library by replicating the BBC corpus, each copy with its
#      own headline (or, without the corpus, generated articles), with
#      `gen_library`; libraries already in $WORK are reused;
#   2. reads every file once, so all figures are with a warm page cache
#      (nothing is dropped: that needs root and says little about a reader
#      that is started again and again);
#   3. times, with hyperfine (medians): `rg -l -i government LIB`, `cat` of
#      every file, and `tidings list` with an emptied cache dir (cold: every
#      file read and parsed) and with a primed one (warm);
#   4. drives the real binary in a pty at 120x40 (`tui_metrics`): cold
#      starts (the cache dir deleted before each run) to every article
#      listed and to a searchable list (index built), timing the screen's
#      answer to a key pressed every 100 ms while the index builds, then
#      warm starts to
#      the first frame, to every article listed, to the search engine's
#      first answer to a query typed then, and to idle (every file checked
#      against the cache), the bytes written per one-row move, per
#      one-line scroll of a long generated story (list beside it, full
#      width with `Z`, and `less` on the same text in the same pty size),
#      and peak RSS (read once the app is idle);
#   5. prints a table of the medians and the ratios against rg.
#
# Needs: a Rust toolchain, ripgrep, hyperfine and less
#   (Debian/Ubuntu: apt-get install -y ripgrep hyperfine).
#
# Usage: benches/load.sh [SIZE...]
# Env:   TIDINGS_CORPUS  corpus to replicate (default ../shared/corpus/bbc)
#        WORK            where caches and results go (default benches/out)
#        LIBS            where the libraries are, or are made (default WORK);
#                        never written into when they are complete
#        RUNS            pty runs per measure (default 3)
#        WORD            the word rg looks for (default government)
#        WARM_ONLY=1     only the warm pty figures (first frame, full list,
#                        idle, peak RSS): at 1,000,000 articles the scanners
#                        and cold starts (every file read, the index built)
#                        take the better part of an hour
#        CACHE_DIR       with WARM_ONLY, the cache dir to start from (an
#                        index and load cache already made: priming one at
#                        1,000,000 builds the index); default WORK/loadcacheN
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000 100000)
corpus=${TIDINGS_CORPUS:-../shared/corpus/bbc}
work=${WORK:-benches/out}
runs=${RUNS:-3}
word=${WORD:-government}
warm_only=${WARM_ONLY:-0}
for tool in rg hyperfine; do
    command -v $tool > /dev/null || { echo "$tool is needed (apt-get install -y ripgrep hyperfine)" >&2; exit 1; }
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
libs=${LIBS:-$work}

cargo build --release --quiet --bin tidings --example gen_library --example tui_metrics
bin=$(pwd)/target/release
tidings=$bin/tidings
config=$work/empty-config.toml
: > "$config"
export TIDINGS_CONFIG=$config

echo "# tidings load benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -sr)"
echo "# warm page cache; hyperfine medians; pty figures are medians of $runs runs at 120x40"

# Median (ms) of each command, one per line.
medians() {
    local csv=$work/hyperfine.csv
    hyperfine --style none --export-csv "$csv" "$@" > /dev/null
    tail -n +2 "$csv" | awk -F, '{printf "%.1f\n", $4 * 1000}'
}

# The value of one `name value` line of tui_metrics output.
field() { awk -v k="$1" '$1 == k {print $2}' "$2"; }

# WARM_ONLY: one unmeasured warm start (it primes an empty cache), then
# the measured ones, and their table.
warm_figures() {
    local lib=$1 cache=$2 data=$3 n=$4 warm=$work/tui-warm$4.txt
    "$bin/examples/tui_metrics" --bin "$tidings" --library "$lib" --cache-dir "$cache" \
        --data-dir "$data" --runs 1 --moves 0 > /dev/null
    "$bin/examples/tui_metrics" --bin "$tidings" --library "$lib" --cache-dir "$cache" \
        --data-dir "$data" --runs "$runs" --moves 0 > "$warm"
    echo
    echo "## $n articles, warm starts (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| measure | median |"
    echo "| --- | --- |"
    awk -v wf="$(field first_frame_ms "$warm")" -v wfl="$(field full_list_ms "$warm")" \
        -v ws="$(field searched_ms "$warm")" -v wi="$(field idle_ms "$warm")" \
        -v wr="$(field peak_rss_mib "$warm")" 'BEGIN {
        printf "| app warm start to first frame | %.1f ms |\n", wf
        printf "| app warm start to a searchable list | %.1f ms |\n", wfl
        printf "| app warm start to the engine answering a query typed then | %.1f ms |\n", ws
        printf "| app warm start to idle (every file checked) | %.1f ms |\n", wi
        printf "| peak RSS, warm start | %.1f MiB |\n", wr
    }'
}

for n in "${sizes[@]}"; do
    lib=$libs/lib$n
    if [ "$(find "$lib" -name '*.txt' 2> /dev/null | wc -l)" -ne "$n" ]; then
        if [ -n "${LIBS:-}" ] && [ -e "$lib" ]; then
            echo "$lib does not hold $n articles; not touching it" >&2
            exit 1
        fi
        rm -rf "$lib"
        if [ -d "$corpus" ]; then
            "$bin/examples/gen_library" --source "$corpus" --out "$lib" --count "$n"
        else
            "$bin/examples/gen_library" --synthetic --out "$lib" --count "$n"
        fi
    fi
    find "$lib" -type f -exec cat {} + > /dev/null
    cache=$work/loadcache$n
    data=$work/loaddata$n
    rm -rf "$data"
    mkdir -p "$data"
    if [ "$warm_only" = 1 ]; then
        warm_figures "$lib" "${CACHE_DIR:-$cache}" "$data" "$n"
        continue
    fi

    # The command line: scanners against `tidings list`, same run.
    hf=(--warmup 1 --runs 5)
    mapfile -t t < <(
        medians "${hf[@]}" "rg -l -i $word $lib" \
            "find $lib -type f -exec cat {} + > /dev/null"
        medians --runs 3 --prepare "rm -rf $cache" \
            "$tidings list -l $lib --cache-dir $cache --data-dir $data > /dev/null"
        "$tidings" list -l "$lib" --cache-dir "$cache" --data-dir "$data" > /dev/null
        medians "${hf[@]}" "$tidings list -l $lib --cache-dir $cache --data-dir $data > /dev/null"
    )
    rg_ms=${t[0]} cat_ms=${t[1]} list_cold=${t[2]} list_warm=${t[3]}

    # The app in a pty: cold, then warm (the first warm run primes the
    # cache the cold runs left, so it is one extra run, not measured).
    cold=$work/tui-cold$n.txt warm=$work/tui-warm$n.txt
    "$bin/examples/tui_metrics" --bin "$tidings" --library "$lib" --cache-dir "$cache" \
        --data-dir "$data" --runs "$runs" --moves 0 --fresh-cache --probe-keys > "$cold"
    "$bin/examples/tui_metrics" --bin "$tidings" --library "$lib" --cache-dir "$cache" \
        --data-dir "$data" --runs 1 --moves 0 > /dev/null
    "$bin/examples/tui_metrics" --bin "$tidings" --library "$lib" --cache-dir "$cache" \
        --data-dir "$data" --runs "$runs" --moves 20 > "$warm"

    echo
    echo "## $n articles"
    echo
    echo "| measure | median | ratio |"
    echo "| --- | --- | --- |"
    awk -v rg="$rg_ms" -v cat="$cat_ms" -v lc="$list_cold" -v lw="$list_warm" \
        -v cl="$(field listed_ms "$cold")" -v cf="$(field full_list_ms "$cold")" \
        -v cr="$(field peak_rss_mib "$cold")" -v kn="$(field keys_while_indexing "$cold")" \
        -v k50="$(field key_while_indexing_p50_ms "$cold")" -v k99="$(field key_while_indexing_p99_ms "$cold")" \
        -v kmax="$(field key_while_indexing_max_ms "$cold")" \
        -v wf="$(field first_frame_ms "$warm")" -v wl="$(field listed_ms "$warm")" \
        -v wfl="$(field full_list_ms "$warm")" -v wr="$(field peak_rss_mib "$warm")" \
        -v ws="$(field searched_ms "$warm")" -v wi="$(field idle_ms "$warm")" \
        -v bm="$(field bytes_per_list_move "$warm")" -v bsp="$(field bytes_per_reader_scroll_split "$warm")" \
        -v bfu="$(field bytes_per_reader_scroll_full "$warm")" -v bl="$(field bytes_per_less_scroll "$warm")" \
        -v w="$word" 'BEGIN {
        printf "| `rg -l -i %s` | %.1f ms | |\n", w, rg
        printf "| `cat` of every file | %.1f ms | cat/rg %.2fx |\n", cat, cat / rg
        printf "| `tidings list`, cold (empty cache dir) | %.1f ms | /rg %.2fx |\n", lc, lc / rg
        printf "| `tidings list`, warm | %.1f ms | /rg %.2fx |\n", lw, lw / rg
        printf "| app cold start to every article listed | %.1f ms | /rg %.2fx |\n", cl, cl / rg
        printf "| app cold start to a searchable list (index built) | %.1f ms | /rg %.2fx |\n", cf, cf / rg
        printf "| key to screen while the index builds (cold start; %d keys), p50 / p99 / max | %.1f / %.1f / %.1f ms | |\n", kn, k50, k99, kmax
        printf "| app warm start to first frame | %.1f ms | |\n", wf
        printf "| app warm start to every article listed | %.1f ms | |\n", wl
        printf "| app warm start to a searchable list | %.1f ms | |\n", wfl
        printf "| app warm start to the engine answering a query typed then | %.1f ms | |\n", ws
        printf "| app warm start to idle (every file checked) | %.1f ms | /rg %.2fx |\n", wi, wi / rg
        printf "| bytes per one-row list move (120x40) | %d | |\n", bm
        printf "| bytes per one-line scroll of a long story, list beside it (120x40) | %d | /less %.2fx |\n", bsp, bsp / bl
        printf "| bytes per one-line scroll of a long story, full width `Z` (120x40) | %d | /less %.2fx |\n", bfu, bfu / bl
        printf "| bytes per one-line scroll in `less`, same text and size | %d | |\n", bl
        printf "| peak RSS, cold start | %.1f MiB | |\n", cr
        printf "| peak RSS, warm start | %.1f MiB | |\n", wr
    }'
done
