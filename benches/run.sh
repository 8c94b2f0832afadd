#!/usr/bin/env bash
# Search benchmarks, as reported in the README's performance section.
#
# For each library size (default 2,000, 20,000 and 100,000 articles) this:
#   1. writes a library by replicating the BBC corpus (or, without it, from
#      the generator's word list) with `cargo run --example gen_library`;
#   2. times the full index build, an incremental re-index after 10 changed
#      files, and per-query latency (p50/p99) for a common word, a rare word,
#      a phrase and the typing sequence b, br, ... broadband, and keystroke
#      to results in the app (p50/p99: the key, the engine's answer placed
#      in the list, both frames drawn) typing three words
#      (`cargo run --example search_latency`);
#   3. times `tidings search WORD` (warm index, after a first run) against
#      `rg -l -i WORD` and `cat` over the same files, in the same run, the
#      commands taking turns (see `compare`), and prints the medians and
#      ratios; also `--cached` and `--fresh` (every file checked).
#
# LIBRARY=DIR times step 3 alone on an existing library (nothing written
# into it: its index goes under WORK), e.g. one made for a million articles:
#   cargo run --release --example gen_library -- --synthetic --out DIR --count 1000000
#   LIBRARY=DIR benches/run.sh
#
# Needs: a Rust toolchain, and for step 3 ripgrep and hyperfine
#   (Debian/Ubuntu: apt-get install -y ripgrep hyperfine). Without hyperfine
#   a plain timing loop is used; without rg that comparison is skipped.
#
# Usage: benches/run.sh [SIZE...]       e.g. benches/run.sh 100000 1000000
# Env:   TIDINGS_CORPUS  corpus to replicate (default ../shared/corpus/bbc)
#        WORK            where libraries and indexes go (default benches/out)
#        RUNS            times each query is run (default 100)
#        CHANGED         files changed for the re-index (default 10; 0 leaves
#                        the library untouched, e.g. one shared with others)
#        LIBRARY         an existing library: step 3 only, on it
#        CLI_RUNS        runs of each command in step 3 (default 11)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000 100000)
corpus=${TIDINGS_CORPUS:-../shared/corpus/bbc}
work=${WORK:-benches/out}
mkdir -p "$work"
work=$(cd "$work" && pwd)

cargo build --release --quiet --bin tidings --example gen_library --example search_latency
bin=target/release
tidings=$(pwd)/$bin/tidings
config=$work/empty-config.toml
: > "$config"

echo "# tidings search benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -sr)"

# Median wall time in milliseconds of a shell command, over N runs.
median_ms() {
    local runs=$1; shift
    local times=()
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s%N)
        sh -c "$1" > /dev/null 2>&1
        t1=$(date +%s%N)
        times+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

# Medians (ms) of the given commands, one per line. The commands take
# turns (each in turn, then again, CLI_RUNS times), so a change in the
# machine's load falls on all of them alike; each turn runs its command
# twice and times the second run, so that each finds its own files in the
# page cache (reading a whole library, as `rg` and `cat` do, pushes other
# files out of it on a machine short of memory: the first run after them
# would time the disk).
compare() {
    local runs=${CLI_RUNS:-11} n=$#
    local -a times
    for round in $(seq 1 "$runs"); do
        local i=0
        for cmd in "$@"; do
            local t0 t1
            sh -c "$cmd" > /dev/null 2>&1
            t0=$(date +%s%N)
            sh -c "$cmd" > /dev/null 2>&1
            t1=$(date +%s%N)
            times[$((i * runs + round - 1))]=$(( (t1 - t0) / 1000 ))
            i=$((i + 1))
        done
    done
    for i in $(seq 0 $((n - 1))); do
        printf '%s\n' "${times[@]:$((i * runs)):$runs}" | sort -n |
            awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)]/1000}'
    done
}

# Step 3 on library $1 (index under $2): `tidings search` against rg and cat.
cli_vs_rg() {
    local lib=$1 cache=$2
    command -v rg > /dev/null || { echo "(rg not found: command-line comparison skipped)"; return; }
    export TIDINGS_CACHE_DIR=$cache TIDINGS_CONFIG=$config
    # The first run builds the index (and records the library's folders).
    "$tidings" search -l "$lib" warmup > /dev/null 2>&1
    echo
    echo "load before: $(uptime | sed 's/.*load average/load average/')"
    echo
    echo "| command (warm page cache, warm index) | median | ratio |"
    echo "| --- | --- | --- |"
    for word in boynton government; do
        mapfile -t t < <(compare \
            "$tidings search -l $lib $word" \
            "rg -l -i $word $lib" \
            "$tidings search --cached -l $lib $word" \
            "$tidings search --fresh -l $lib $word" \
            "find $lib -type f -print0 | xargs -0 cat")
        awk -v w="$word" -v a="${t[0]}" -v b="${t[1]}" -v k="${t[2]}" -v f="${t[3]}" -v c="${t[4]}" 'BEGIN {
            printf "| `tidings search %s` (folders and hits checked) | %.1f ms | **rg/this: %.1fx** |\n", w, a, b / a
            printf "| `rg -l -i %s` | %.1f ms | |\n", w, b
            printf "| `tidings search --cached %s` | %.1f ms | rg/this: %.1fx |\n", w, k, b / k
            printf "| `tidings search --fresh %s` (every file checked) | %.1f ms | rg/this: %.1fx |\n", w, f, b / f
            printf "| `cat` every file | %.1f ms | cat/rg: %.1fx |\n", c, c / b
        }'
    done
    echo
    echo "load after: $(uptime | sed 's/.*load average/load average/')"
}

if [ -n "${LIBRARY:-}" ]; then
    lib=$(cd "$LIBRARY" && pwd)
    echo
    echo "## $lib"
    cli_vs_rg "$lib" "$work/cache-$(basename "$lib")"
    exit 0
fi

for n in "${sizes[@]}"; do
    lib=$work/lib$n
    if [ "$(find "$lib" -name '*.txt' 2> /dev/null | wc -l)" -ne "$n" ]; then
        rm -rf "$lib"
        if [ -d "$corpus" ]; then
            $bin/examples/gen_library --source "$corpus" --out "$lib" --count "$n"
        else
            $bin/examples/gen_library --synthetic --out "$lib" --count "$n"
        fi
    fi
    echo
    echo "## $n articles"
    echo
    echo "| measure | detail | time |"
    echo "| --- | --- | --- |"
    $bin/examples/search_latency --library "$lib" --cache "$work/latency$n" \
        --runs "${RUNS:-100}" --changed "${CHANGED:-10}"

    cli_vs_rg "$lib" "$work/cache$n"
done
