#!/usr/bin/env bash
# Measures the run command: seconds from `dotnet run` of the AppHost (warm build) until the Api's,
# the Worker's and the Web's /health all answer 200, then each process's resident memory after it
# idles. Stops everything it started when done: the AppHost is asked to stop (it stops its
# resources), then whatever of its process tree is left after 30 s is killed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh >/dev/null
dotnet build LeadsPeer.AppHost -nologo -v:q >/dev/null

log=$(mktemp)
started=$(date +%s.%N)
dotnet run --project LeadsPeer.AppHost --launch-profile http --no-build >"$log" 2>&1 &
wrapper=$!   # `dotnet run`, whose child is the AppHost
# The processes descended from the PIDs given (and those PIDs).
tree() {
  ps -eo pid=,ppid= | awk -v roots=" $* " '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q > 1 && index(roots, " " q " ") == 0) q = parent[q]; if (q > 1) print p } }'
}
# Everything the run started: the `dotnet run` wrapper's tree, which holds the AppHost, and the
# orchestrator's (DCP detaches from the AppHost and names it with --monitor), which holds the hosts and stores.
family() {
  local apphost dcp
  apphost=$(for pid in $(tree "$wrapper"); do ps -o args= -p "$pid" 2>/dev/null | grep -q 'LeadsPeer\.AppHost' && echo "$pid"; done)
  dcp=$(for pid in $apphost; do ps -eo pid=,args= | awk -v m="--monitor $pid" 'index($0, m) { print $1 }'; done)
  local members groups
  members=$(tree "$wrapper" $dcp)
  # Hosts whose own launchers exit are adopted by init but stay in the orchestrator's process groups.
  # (Never this script's own group: the wrapper runs in it, and so may the shell that started it.)
  local own
  own=$(ps -o pgid= -p $$ | tr -d ' ')
  groups=$(for pid in $members; do ps -o pgid= -p "$pid" 2>/dev/null; done | tr -d ' ' | sort -u | grep -vx "$own")
  { echo "$members"; for g in $groups; do ps -eo pid=,pgid= | awk -v g="$g" '$2 == g { print $1 }'; done; } | sort -u | grep -vx "$$"
}
stop() {
  set +e   # a cleanup goes to its end: a process already gone is not an error
  local everyone pid alive=""
  everyone=$(family)
  # SIGTERM (background jobs of a script ignore SIGINT) to the AppHost itself, not only the `dotnet run`
  # wrapper: it stops the hosts and stores it started. Then whatever of the run is left is killed.
  for pid in $everyone; do
    ps -o args= -p "$pid" 2>/dev/null | grep -q 'LeadsPeer\.AppHost' && kill -TERM "$pid" 2>/dev/null
  done
  kill -TERM "$wrapper" 2>/dev/null || true
  for _ in $(seq 1 60); do
    alive=$(for pid in $everyone; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done)
    [ -z "$alive" ] && break
    sleep 0.5
  done
  for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$log"
}
trap stop EXIT

ready=""
for _ in $(seq 1 240); do
  codes=$(for url in http://localhost:5301/health http://localhost:5303/health http://localhost:5302/health; do
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
