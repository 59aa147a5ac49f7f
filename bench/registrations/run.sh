#!/usr/bin/env bash
# Registrations benchmark (issue 2): signed-webhook registrations per second and p99 latency of the real server
# against a bare single-INSERT endpoint on the same kind of SQLite file, in one run, with one load generator.
#
#   bench/registrations/run.sh                      # defaults: 32 connections, 8 s warm-up + 15 s per target (3 rounds)
#   CONCURRENCY=64 DURATION=30 bench/registrations/run.sh
#
# Builds Mentoring.Server, BareEndpoint and LoadGen in Release (into bench/registrations/artifacts, so it never
# touches the bin/obj folders of other builds), starts both servers on free 127.0.0.1 ports with their SQLite files
# in a temp dir, runs LoadGen against each in turn, stops them and prints the markdown table (also saved to
# bench/registrations/artifacts/last-run.md). Exit status 3 means a registration answered 2xx was not stored.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
artifacts="$here/artifacts"
CONCURRENCY="${CONCURRENCY:-32}"
WARMUP="${WARMUP:-8}"    # per target; the server needs several seconds under load to finish tiered JIT
DURATION="${DURATION:-15}"   # measured seconds per target, split into ROUNDS alternating slices
ROUNDS="${ROUNDS:-3}"
POOL="${POOL:-400000}"
# 1: also measure the bare endpoint with writes serialized through an in-process lock (no SQLite busy waits;
# measured slower than letting SQLite arbitrate, so off by default).
BARE_SERIALIZED="${BARE_SERIALIZED:-0}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "[run] building in Release..." >&2
for project in "$repo/src/Mentoring.Server/Mentoring.Server.csproj" "$here/BareEndpoint/BareEndpoint.csproj" "$here/LoadGen/LoadGen.csproj"; do
  dotnet build "$project" -c Release --artifacts-path "$artifacts" -v quiet -nologo -clp:"ErrorsOnly;NoSummary" >&2
done
server_dll="$artifacts/bin/Mentoring.Server/release/Mentoring.Server.dll"
bare_dll="$artifacts/bin/BareEndpoint/release/BareEndpoint.dll"
loadgen_dll="$artifacts/bin/LoadGen/release/LoadGen.dll"

work="$(mktemp -d "${TMPDIR:-/tmp}/mentoring-bench.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server on 127.0.0.1:0 (a free port the OS picks) and waits for the address it prints.
# $1 name, $2 working directory, $3 pattern before the URL in its output, rest: command. Sets $url.
start() {
  local name="$1" dir="$2" pattern="$3"; shift 3
  (cd "$dir" && exec "$@") >"$work/$name.log" 2>&1 &
  local pid="$!"
  pids+=("$pid")
  started_pid="$pid"
  url=""
  for _ in $(seq 1 300); do
    url="$(grep -soE "$pattern http://127\.0\.0\.1:[0-9]+" "$work/$name.log" | head -1 | grep -oE 'http://.*' || true)"
    if [[ -n "$url" ]]; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$work/$name.log" >&2; echo "[run] $name exited" >&2; return 1; fi
    sleep 0.1
  done
  cat "$work/$name.log" >&2; echo "[run] $name did not start" >&2; return 1
}

admin_key="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$work/server" "$work/bare" "$work/bare-serialized"

# The server runs from its output folder, so its appsettings.json (logging levels) applies as when deployed.
start server "$(dirname "$server_dll")" 'Now listening on:' env ASPNETCORE_ENVIRONMENT=Production \
  Mentoring__DatabasePath="$work/server/mentoring.db" Mentoring__AdminKeys="$admin_key" \
  dotnet "$server_dll" --urls http://127.0.0.1:0
server_url="$url"
targets_pids=(--pid "server=$started_pid")
start bare "$(dirname "$bare_dll")" 'BARE_LISTENING' dotnet "$bare_dll" --urls http://127.0.0.1:0 --db "$work/bare/bare.db"
bare_url="$url"
targets_pids+=(--pid "bare=$started_pid")
bares=(--bare "bare=$bare_url=$work/bare/bare.db")
bare2_url=""
if [[ "$BARE_SERIALIZED" == 1 ]]; then
  start bare-serialized "$(dirname "$bare_dll")" 'BARE_LISTENING' dotnet "$bare_dll" --urls http://127.0.0.1:0 \
    --db "$work/bare-serialized/bare.db" --serialize-writes true
  bare2_url="$url"
  targets_pids+=(--pid "bare-serialized=$started_pid")
  bares+=(--bare "bare-serialized=$bare2_url=$work/bare-serialized/bare.db")
fi
echo "[run] server $server_url, bare $bare_url${bare2_url:+, bare-serialized $bare2_url}; data in $work" >&2

status=0
dotnet "$loadgen_dll" --server "$server_url" --server-db "$work/server/mentoring.db" --admin-key "$admin_key" "${bares[@]}" "${targets_pids[@]}" \
  --rounds "$ROUNDS" --concurrency "$CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION" --pool "$POOL" --out "$artifacts/last-run.md" || status=$?
if grep -qiE 'fail|exception' "$work/server.log"; then
  echo "[run] server log mentions failures:" >&2; grep -iE -m 20 'fail|exception' "$work/server.log" >&2
fi
exit "$status"
