#!/usr/bin/env bash
# What each article format costs to load: the same BBC-based library
# written as plain text, as Markdown (YAML front matter, emphasis, a link)
# and as saved web pages (head metadata, navigation, scripts, a footer),
# each loaded cold (`tidings list` with an emptied cache dir: every file
# read and parsed) in the same run, with hyperfine medians and the ratio
# against plain text. `rg -l` over each library is the scanner baseline.
#
# Every command runs once before it is timed (the page cache and the
# binary warm), and the median of 7 runs is reported.
#
# Needs: a Rust toolchain, ripgrep and hyperfine.
# Usage: benches/formats.sh [SIZE...]      (default 20000 100000)
# Env:   TIDINGS_CORPUS  corpus to replicate (default ../shared/corpus/bbc)
#        WORK            where libraries and caches go (default benches/out)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 100000)
corpus=${TIDINGS_CORPUS:-../shared/corpus/bbc}
work=${WORK:-benches/out}
for tool in rg hyperfine; do
    command -v $tool > /dev/null || { echo "$tool is needed (apt-get install -y ripgrep hyperfine)" >&2; exit 1; }
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
cargo build --release --quiet --bin tidings --example gen_library
bin=$(pwd)/target/release
config=$work/empty-config.toml
: > "$config"
export TIDINGS_CONFIG=$config
source_args=(--synthetic)
[ -d "$corpus" ] && source_args=(--source "$corpus")

echo "# tidings load by format, $(date -u +%Y-%m-%d), $(nproc) cores; warm page cache; hyperfine medians"
for n in "${sizes[@]}"; do
    echo
    echo "## $n articles"
    echo
    echo "| format | rg -l | tidings list, cold | ratio to plain text |"
    echo "| --- | --- | --- | --- |"
    txt_ms=
    for format in txt md html; do
        lib=$work/fmt-$format-$n
        if [ "$(find "$lib" -name "*.$format" 2> /dev/null | wc -l)" -ne "$n" ]; then
            rm -rf "$lib"
            "$bin/examples/gen_library" "${source_args[@]}" --out "$lib" --count "$n" --format "$format" 2> /dev/null
        fi
        find "$lib" -type f -exec cat {} + > /dev/null
        cache=$work/fmt-cache-$format-$n data=$work/fmt-data-$format-$n
        mkdir -p "$data"
        csv=$work/fmt.csv
        hyperfine --style none --warmup 1 --runs 5 --export-csv "$csv" \
            "rg -l -i government $lib" > /dev/null
        rg_ms=$(tail -n +2 "$csv" | awk -F, '{printf "%.1f", $4 * 1000}')
        hyperfine --style none --warmup 1 --runs 7 --prepare "rm -rf $cache" --export-csv "$csv" \
            "$bin/tidings list -l $lib --cache-dir $cache --data-dir $data > /dev/null" > /dev/null
        ms=$(tail -n +2 "$csv" | awk -F, '{printf "%.1f", $4 * 1000}')
        [ -n "$txt_ms" ] || txt_ms=$ms
        listed=$("$bin/tidings" list -l "$lib" --cache-dir "$cache" --data-dir "$data" | wc -l)
        awk -v f="$format" -v rg="$rg_ms" -v ms="$ms" -v t="$txt_ms" -v l="$listed" -v n="$n" 'BEGIN {
            printf "| %s (%d of %d listed) | %.1f ms | %.1f ms | %.2fx |\n", f, l, n, rg, ms, ms / t }'
    done
done
