#!/usr/bin/env bash
# Matching benchmark: our solver (mentoring CLI, Release) vs LEMON MaxWeightedMatching vs networkx, same files.
# Usage: bench/matching/run.sh            (all instances + the 50,000-people synthetic end-to-end run)
#        SKIP_SYNTHETIC=1 bench/matching/run.sh
#        MENTORING_BIN=/path/to/mentoring bench/matching/run.sh   (use an already built CLI)
#        SKIP_TABLE=1 bench/matching/run.sh       (only the synthetic end-to-end run; no LEMON/networkx)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/matching"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
SEED="${SEED:-1}"
NX_MAX_EDGES="${NX_MAX_EDGES:-130000}"   # networkx (pure Python) only below this many edges
NX_TIMEOUT="${NX_TIMEOUT:-300}"

if [ -z "${SKIP_TABLE:-}" ]; then
# --- dependencies (Debian packages)
need=()
dpkg -s liblemon-dev >/dev/null 2>&1 || need+=(liblemon-dev)
dpkg -s python3-networkx >/dev/null 2>&1 || need+=(python3-networkx)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if ((${#need[@]})); then
    echo "installing ${need[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

g++ -O2 -std=c++17 -o "$OUT/lemon_mwm" "$HERE/lemon_mwm.cpp"
fi

# --- build: our CLI
if [ -z "${MENTORING_BIN:-}" ]; then
    dotnet build "$ROOT/src/Mentoring.Cli/Mentoring.Cli.csproj" -c Release -o "$OUT/cli" -nologo -v q >&2
    MENTORING_BIN="$OUT/cli/mentoring"
fi

if [ -z "${SKIP_TABLE:-}" ]; then
# --- instances (seeded synthetic participants; see src/Mentoring.Cli/Synthetic/SyntheticPopulation.cs)
gen() {
    local name="$1"; shift
    [ -s "$OUT/$name.txt" ] || "$MENTORING_BIN" generate --seed "$SEED" "$@" --out "$OUT/$name.txt" >&2
}
INSTANCES=()
for n in 500 1000 2000; do gen "complete_$n" --people "$n" --complete; INSTANCES+=("complete_$n"); done
for n in 1000 5000 10000; do
    for k in 20 50; do gen "top${k}_$n" --people "$n" --top "$k"; INSTANCES+=("top${k}_$n"); done
done

field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }

echo
echo "| instance | n | m | our total | LEMON total | networkx total | our s | LEMON s | networkx s | ratio ours/LEMON | equal |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for name in "${INSTANCES[@]}"; do
    file="$OUT/$name.txt"
    read -r n m < <(head -n 1 "$file")
    ours="$("$MENTORING_BIN" solve "$file")"
    grep -q '^certificate ok$' <<<"$ours" || { echo "certificate failed on $name" >&2; exit 1; }
    lemon="$("$OUT/lemon_mwm" "$file")"
    ot="$(field total_weight "$ours")"; os="$(field seconds "$ours")"
    lt="$(field total_weight "$lemon")"; ls="$(field seconds "$lemon")"
    nt="skipped"; ns="skipped"
    if [ "$m" -le "$NX_MAX_EDGES" ]; then
        if nx="$(timeout "$NX_TIMEOUT" /usr/bin/python3 "$HERE/nx_mwm.py" "$file")"; then
            nt="$(field total_weight "$nx")"; ns="$(field seconds "$nx")"
        else
            nt="timeout"; ns=">$NX_TIMEOUT"
        fi
    fi
    ratio="$(awk -v a="$os" -v b="$ls" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
    equal="yes"
    [ "$ot" = "$lt" ] || equal="no"
    case "$nt" in skipped|timeout) ;; *) [ "$nt" = "$ot" ] || equal="no" ;; esac
    echo "| $name | $n | $m | $ot | $lt | $nt | $os | $ls | $ns | $ratio | $equal |"
done
fi

if [ -z "${SKIP_SYNTHETIC:-}" ]; then
    echo
    echo "50,000-people end-to-end (top-20 candidates + solve + full pricing over all pairs):"
    echo '```'
    "$MENTORING_BIN" synthetic --people "${SYNTHETIC_PEOPLE:-50000}" --seed "$SEED" --k 20 --verbose 2>&1
    echo '```'
fi
