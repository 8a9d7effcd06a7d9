#!/usr/bin/env bash
# Measures the run command: seconds from `dotnet run` of the AppHost (warm build) until the Api's,
# the Worker's and the Web's /health all answer 200, then each process's resident memory after it
# idles (IDLE_SECONDS, 20 by default). Stops everything it started when done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/product.sh

bash scripts/setup.sh >/dev/null
# LEADSPEER_BUILT (set by CI after its build of the whole solution): that build is the warm one.
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build LeadsPeer.AppHost -nologo -v:q >/dev/null

log=$(mktemp)
trap 'set +e; product_stop; rm -f "$log"' EXIT
product_start "$log" dotnet run --project LeadsPeer.AppHost --launch-profile http --no-build
ready=$(product_wait_healthy 120) || { echo "not healthy within 120 s"; tail -30 "$log"; exit 1; }
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
