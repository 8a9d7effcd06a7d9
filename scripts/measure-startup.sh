#!/usr/bin/env bash
# Measures the run command: seconds from `dotnet run` of the AppHost (warm build) until the Api's
# /health, the Worker's /health and the Web's home page all answer 200, then each process's
# resident memory after it idles. Stops everything when done.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh >/dev/null
dotnet build LeadsPeer.AppHost -nologo -v:q >/dev/null

log=$(mktemp)
started=$(date +%s.%N)
dotnet run --project LeadsPeer.AppHost --launch-profile http --no-build >"$log" 2>&1 &
apphost=$!
# SIGTERM: background jobs of a script ignore SIGINT.
trap 'kill -TERM $apphost 2>/dev/null; wait $apphost 2>/dev/null; rm -f "$log"' EXIT

ready=""
for _ in $(seq 1 240); do
  codes=$(for url in http://localhost:5301/health http://localhost:5303/health http://localhost:5302/; do
    curl -s -m 2 -o /dev/null -w '%{http_code}' "$url" || true
  done)
  if [ "$codes" = "200200200" ]; then
    ready=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    break
  fi
  sleep 0.5
done
[ -n "$ready" ] || { echo "not healthy within 120 s"; tail -30 "$log"; exit 1; }
echo "all healthy after ${ready} s"

sleep "${IDLE_SECONDS:-20}"
echo "idle resident memory (MB):"
ps -eo rss=,args= | awk '
  /awk/ { next }
  /LeadsPeer\.(Api|Worker|Web|AppHost)( |$)/ && !/dotnet run/ { split($2, p, "/"); printf "  %-22s %6.0f\n", p[length(p)], $1 / 1024; next }
  /bin\/postgres -D/ || /postgres: / { pg += $1 }
  /redis-server/ { printf "  %-22s %6.0f\n", "redis-server", $1 / 1024 }
  /\/dcp / { dcp += $1 }
  END { printf "  %-22s %6.0f\n  %-22s %6.0f\n", "postgres (all)", pg / 1024, "dcp (orchestrator)", dcp / 1024 }'
