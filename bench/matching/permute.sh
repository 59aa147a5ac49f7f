#!/usr/bin/env bash
# Solve-time stability: the same top-20 graph of PEOPLE synthetic participants, with its node ids renamed and its
# edges (and their ends) shuffled by `mentoring solve --permute SEED`, solved ROUNDS times (seeds 1..ROUNDS).
# Prints each round's solve seconds (after the JIT warm-up, as in run.sh) and the min / median / max; every round
# must reach the same total weight with a verified certificate.
# Usage: bench/matching/permute.sh                     (PEOPLE=50000 ROUNDS=5)
#        MENTORING_BIN=/path/to/mentoring PEOPLE=100000 bench/matching/permute.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
PEOPLE="${PEOPLE:-50000}"
ROUNDS="${ROUNDS:-5}"
SEED="${SEED:-1}"

if [ -z "${MENTORING_BIN:-}" ]; then
    dotnet build "$ROOT/src/Mentoring.Cli/Mentoring.Cli.csproj" -c Release -o "$OUT/cli" -nologo -v q >&2
    MENTORING_BIN="$OUT/cli/mentoring"
fi

file="$OUT/top20_$PEOPLE.txt"
[ -s "$file" ] || "$MENTORING_BIN" generate --people "$PEOPLE" --seed "$SEED" --top 20 --out "$file" >&2
field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }

times=()
total=""
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
    out="$("$MENTORING_BIN" solve "$file" --permute "$r")"
    grep -q '^certificate ok$' <<<"$out" || { echo "certificate failed in round $r" >&2; exit 1; }
    t="$(field total_weight "$out")"
    if [ -z "$total" ]; then total="$t"; elif [ "$t" != "$total" ]; then echo "round $r: total $t differs from $total" >&2; exit 1; fi
    s="$(field seconds "$out")"
    times+=("$s")
    echo "round $r (--permute $r): solve $s s, total_weight $t, certificate ok"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${times[@]}" | sort -g | awk -v n="$PEOPLE" -v m="$(head -n 1 "$file" | cut -d' ' -f2)" '
    { t[NR] = $1 }
    END { printf "top20_%s (m=%s), %d permutations: min %.3f s, median %.3f s, max %.3f s\n", n, m, NR, t[1], t[int((NR + 1) / 2)], t[NR] }'
