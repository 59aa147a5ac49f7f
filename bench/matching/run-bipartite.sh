#!/usr/bin/env bash
# b-matching benchmark: `mentoring solve-bipartite` vs LEMON NetworkSimplex vs OR-Tools SimpleMinCostFlow, same files.
# Usage: bench/matching/run-bipartite.sh
#        ROUNDS=5 bench/matching/run-bipartite.sh          (each instance run this many times, tools alternating)
#        MENTORING_BIN=/path/to/mentoring ...               (use an already built CLI)
#        SKIP_ORTOOLS=1 ...                                 (no OR-Tools column)
# Prints one markdown row per instance with the median wall and CPU seconds of the solve alone (every tool times only
# its solve, after reading the file; ours after a JIT warm-up).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/matching"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
SEED="${SEED:-1}"
ROUNDS="${ROUNDS:-3}"

need=()
dpkg -s liblemon-dev >/dev/null 2>&1 || need+=(liblemon-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if ((${#need[@]})); then
    echo "installing ${need[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
g++ -O2 -std=c++17 -o "$OUT/lemon_bmatch" "$HERE/lemon_bmatch.cpp"

if [ -z "${MENTORING_BIN:-}" ]; then
    dotnet build "$ROOT/src/Mentoring.Cli/Mentoring.Cli.csproj" -c Release -o "$OUT/cli" -nologo -v q >&2
    MENTORING_BIN="$OUT/cli/mentoring"
fi
ORTOOLS_BIN=""
if [ -z "${SKIP_ORTOOLS:-}" ]; then
    dotnet build "$HERE/ortools/OrToolsBMatch.csproj" -c Release -o "$OUT/ortools" -nologo -v q >&2
    ORTOOLS_BIN="$OUT/ortools/ortools_bmatch"
fi

gen() {
    local name="$1"; shift
    [ -s "$OUT/$name.txt" ] || "$MENTORING_BIN" generate-bipartite --seed "$SEED" "$@" --out "$OUT/$name.txt" >&2
}
gen mm_2000x500 --mentees 2000 --mentors 500 --top 20 --cap-min 1 --cap-max 4
gen mm_20000x5000 --mentees 20000 --mentors 5000 --top 20 --cap-min 1 --cap-max 4
gen mm_20000x20000 --mentees 20000 --mentors 20000 --top 20 --cap-min 1 --cap-max 1
INSTANCES=(mm_2000x500 mm_20000x5000 mm_20000x20000)

field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A secs cpus total
for ((round = 1; round <= ROUNDS; round++)); do
    for name in "${INSTANCES[@]}"; do
        file="$OUT/$name.txt"
        # Alternate which tool goes first, so load swings from other work hit each the same way on average.
        tools=(ours lemon ortools)
        ((round % 2 == 0)) && tools=(ortools lemon ours)
        for tool in "${tools[@]}"; do
            case "$tool" in
                ours) res="$("$MENTORING_BIN" solve-bipartite "$file")"
                      grep -q '^certificate ok$' <<<"$res" || { echo "certificate failed on $name" >&2; exit 1; } ;;
                lemon) res="$("$OUT/lemon_bmatch" "$file")" ;;
                ortools) [ -n "$ORTOOLS_BIN" ] || continue; res="$("$ORTOOLS_BIN" "$file")" ;;
            esac
            secs[$name,$tool]+="$(field seconds "$res") "
            cpus[$name,$tool]+="$(field cpu_seconds "$res") "
            t="$(field total_weight "$res")"
            if [ -n "${total[$name,$tool]:-}" ] && [ "${total[$name,$tool]}" != "$t" ]; then
                echo "$tool gave two different totals on $name" >&2; exit 1
            fi
            total[$name,$tool]="$t"
        done
        echo "round $round $name: ours ${secs[$name,ours]}| lemon ${secs[$name,lemon]}| ortools ${secs[$name,ortools]:-}" >&2
    done
done

echo
echo "| instance | L x R | m | our total | LEMON total | OR-Tools total | our s | LEMON s | OR-Tools s | our cpu s | LEMON cpu s | OR-Tools cpu s | ours/LEMON | equal |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for name in "${INSTANCES[@]}"; do
    read -r l r m < <(head -n 1 "$OUT/$name.txt")
    os="$(median "${secs[$name,ours]}")"; ls="$(median "${secs[$name,lemon]}")"
    oc="$(median "${cpus[$name,ours]}")"; lc="$(median "${cpus[$name,lemon]}")"
    gs="skipped"; gc="skipped"; gt="skipped"
    if [ -n "$ORTOOLS_BIN" ]; then gs="$(median "${secs[$name,ortools]}")"; gc="$(median "${cpus[$name,ortools]}")"; gt="${total[$name,ortools]}"; fi
    ratio="$(awk -v a="$os" -v b="$ls" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
    equal="yes"
    [ "${total[$name,ours]}" = "${total[$name,lemon]}" ] || equal="no"
    [ "$gt" = "skipped" ] || [ "$gt" = "${total[$name,ours]}" ] || equal="no"
    echo "| $name | $l x $r | $m | ${total[$name,ours]} | ${total[$name,lemon]} | $gt | $os | $ls | $gs | $oc | $lc | $gc | $ratio | $equal |"
done
