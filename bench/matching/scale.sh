#!/usr/bin/env bash
# Company scale (issue 15): the scaling table of `mentoring synthetic --k 20`, then the generated 100k top-20 graph
# solved by ours and LEMON back to back, then the permutation benchmark (permute.sh). Every run of ours checks its
# certificate; a failed certificate or a different optimum stops the script.
# Usage: bench/matching/scale.sh                                  (PEOPLE="10000 25000 50000 100000 250000")
#        PEOPLE="10000 50000 1000000" bench/matching/scale.sh     (1M: about n^2 scoring, see README before running)
#        MENTORING_BIN=/path/to/mentoring SKIP_LEMON=1 SKIP_PERMUTE=1 bench/matching/scale.sh
#        PERMUTE_PEOPLE=50000 (the permutation benchmark's graph; PEOPLE is this script's list of sizes)
# Prints the load average with each row: on a shared machine wall seconds are noisy, CPU seconds less so.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/matching"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
PEOPLE="${PEOPLE:-10000 25000 50000 100000 250000}"
SEED="${SEED:-1}"
LEMON_PEOPLE="${LEMON_PEOPLE:-100000}"
PERMUTE_PEOPLE="${PERMUTE_PEOPLE:-50000}"

if [ -z "${MENTORING_BIN:-}" ]; then
    dotnet build "$ROOT/src/Mentoring.Cli/Mentoring.Cli.csproj" -c Release -o "$OUT/cli" -nologo -v q >&2
    MENTORING_BIN="$OUT/cli/mentoring"
fi
export MENTORING_BIN

field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# Peak resident set (MB) and CPU seconds (user + system) from GNU time's -v report.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
cpu_s() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }

echo "## synthetic --k 20 (seed $SEED)"
echo
echo "| people | candidate edges | candidates s | solve s (per round) | pricing s | total s | cpu s | peak MB | certificate | total_weight | load before |"
echo "|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---|"
for n in $PEOPLE; do
    before="$(load)"
    out="$(/usr/bin/time -v -o "$OUT/scale_time_$n.txt" "$MENTORING_BIN" synthetic --people "$n" --seed "$SEED" --k 20 --verbose 2>"$OUT/scale_verbose_$n.txt")" \
        || { cat "$OUT/scale_verbose_$n.txt" >&2; echo "synthetic $n failed" >&2; exit 1; }
    grep -q '^certificate ok$' <<<"$out" || { echo "certificate failed at $n people" >&2; exit 1; }
    edges="$(sed -n 's/.*candidates \([0-9]*\) edges.*/\1/p' "$OUT/scale_verbose_$n.txt")"
    rounds="$(sed -n 's/.*round [0-9]*: solve \([0-9.]*\) s.*/\1/p' "$OUT/scale_verbose_$n.txt" | paste -sd+ | sed 's/+/ + /g')"
    echo "| $n | $edges | $(field candidate_seconds "$out") | $(field solve_seconds "$out") ($rounds) | $(field pricing_seconds "$out") | $(field seconds "$out") | $(field cpu_seconds "$out") | $(peak_mb "$OUT/scale_time_$n.txt") | ok | $(field total_weight "$out") | $before |"
done

if [ -z "${SKIP_LEMON:-}" ]; then
    dpkg -s liblemon-dev >/dev/null 2>&1 || { echo "liblemon-dev is missing: run bench/matching/run.sh once (it installs it)" >&2; exit 1; }
    g++ -O2 -std=c++17 -o "$OUT/lemon_mwm" "$HERE/lemon_mwm.cpp"
    file="$OUT/top20_$LEMON_PEOPLE.txt"
    [ -s "$file" ] || "$MENTORING_BIN" generate --people "$LEMON_PEOPLE" --seed "$SEED" --top 20 --out "$file" >&2
    read -r n m < <(head -n 1 "$file")
    echo
    echo "## top20_$LEMON_PEOPLE (n=$n, m=$m): ours and LEMON MaxWeightedMatching on the same file"
    echo
    echo "| solver | total_weight | solve s | process cpu s (read + solve + verify) | peak MB | certificate | load before |"
    echo "|---|---:|---:|---:|---:|---|---|"
    before="$(load)"
    ours="$(/usr/bin/time -v -o "$OUT/lemon_ours_time.txt" "$MENTORING_BIN" solve "$file")"
    grep -q '^certificate ok$' <<<"$ours" || { echo "certificate failed on $file" >&2; exit 1; }
    echo "| ours | $(field total_weight "$ours") | $(field seconds "$ours") | $(cpu_s "$OUT/lemon_ours_time.txt") | $(peak_mb "$OUT/lemon_ours_time.txt") | ok | $before |"
    before="$(load)"
    lemon="$(/usr/bin/time -v -o "$OUT/lemon_time.txt" "$OUT/lemon_mwm" "$file")"
    echo "| LEMON | $(field total_weight "$lemon") | $(field seconds "$lemon") | $(cpu_s "$OUT/lemon_time.txt") | $(peak_mb "$OUT/lemon_time.txt") | - | $before |"
    [ "$(field total_weight "$ours")" = "$(field total_weight "$lemon")" ] || { echo "different optima" >&2; exit 1; }
fi

if [ -z "${SKIP_PERMUTE:-}" ]; then
    echo
    echo "## permutations (permute.sh)"
    echo
    PEOPLE="${PERMUTE_PEOPLE:-50000}" bash "$HERE/permute.sh"
fi
