#!/bin/sh
# Peak memory and time of `tidings import` on one JSON Lines file of N
# records (default 1,000,000), in a scratch home that is removed after.
#
#   benches/import.sh [N]
#
# TIDINGS names the binary (default: target/release/tidings, built first).
# Every tenth record repeats a title, so numbered names are made too. The
# file is imported twice: the second run finds every record already there.
set -eu
n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${TIDINGS:-}" ]; then
    cargo build --release --manifest-path "$root/Cargo.toml" >&2
    TIDINGS=$root/target/release/tidings
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
awk -v n="$n" 'BEGIN {
    for (i = 0; i < n; i++) {
        title = (i % 10 == 0) ? "Daily bulletin" : "Story " i
        printf "{\"id\": \"s%d\", \"title\": \"%s\", \"date\": \"2021-05-%02d\", \"body\": \"<p>The whole of story %d, in a paragraph of about the length a summary has.</p>\"}\n", i, title, 1 + i % 28, i
    }
}' > "$scratch/wire.jsonl"
: > "$scratch/config.toml"
export TIDINGS_DATA_DIR="$scratch/data" TIDINGS_CACHE_DIR="$scratch/cache" TIDINGS_CONFIG="$scratch/config.toml"
echo "$n records, $(du -h "$scratch/wire.jsonl" | cut -f1)"
for run in first again; do
    /usr/bin/time -f "$run: %e s, peak RSS %M KB" "$TIDINGS" import "$scratch/wire.jsonl"
done
