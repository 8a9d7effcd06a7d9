# Starting the whole product (the AppHost and everything it starts) and stopping exactly what was
# started, for the scripts that run it and must leave nothing behind (measure-startup.sh,
# smoke.sh). Source it; then: product_start LOG COMMAND… · product_wait_healthy SECONDS · product_stop.

product_wrapper=""

# Starts COMMAND (e.g. `bash scripts/run.sh`) in the background, its output in LOG.
product_start() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  product_wrapper=$!
}

# The processes descended from the PIDs given (and those PIDs).
product_tree() {
  ps -eo pid=,ppid= | awk -v roots=" $* " '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q > 1 && index(roots, " " q " ") == 0) q = parent[q]; if (q > 1) print p } }'
}

# Everything the run started: the wrapper's tree, which holds the AppHost, and the orchestrator's
# (DCP detaches from the AppHost and names it with --monitor), which holds the hosts and stores.
product_family() {
  local apphost dcp members groups own
  apphost=$(for pid in $(product_tree "$product_wrapper"); do ps -o args= -p "$pid" 2>/dev/null | grep -q 'LeadsPeer\.AppHost' && echo "$pid"; done)
  dcp=$(for pid in $apphost; do ps -eo pid=,args= | awk -v m="--monitor $pid" 'index($0, m) { print $1 }'; done)
  members=$(product_tree "$product_wrapper" $dcp)
  # Hosts whose own launchers exit are adopted by init but stay in the orchestrator's process groups.
  # (Never this script's own group: the wrapper runs in it, and so may the shell that started it.)
  own=$(ps -o pgid= -p $$ | tr -d ' ')
  groups=$(for pid in $members; do ps -o pgid= -p "$pid" 2>/dev/null; done | tr -d ' ' | sort -u | grep -vx "$own")
  { echo "$members"; for g in $groups; do ps -eo pid=,pgid= | awk -v g="$g" '$2 == g { print $1 }'; done; } | sort -u | grep -vx "$$"
}

# Waits until the Api's, the Worker's and the Web's /health answer 200; prints the seconds it took.
product_wait_healthy() {
  local limit=$1 started codes
  started=$(date +%s.%N)
  for _ in $(seq 1 $((limit * 2))); do
    codes=$(for url in http://localhost:5301/health http://localhost:5303/health http://localhost:5302/health; do
      curl -s -m 2 -o /dev/null -w '%{http_code}' "$url" || true
    done)
    if [ "$codes" = "200200200" ]; then
      awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }'
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# SIGTERM (background jobs of a script ignore SIGINT) to the AppHost itself, not only the wrapper:
# it stops the hosts and stores it started. Then whatever of the run is left after 30 s is killed.
product_stop() {
  [ -n "$product_wrapper" ] || return 0
  local everyone pid alive=""
  everyone=$(product_family)
  for pid in $everyone; do
    ps -o args= -p "$pid" 2>/dev/null | grep -q 'LeadsPeer\.AppHost' && kill -TERM "$pid" 2>/dev/null
  done
  kill -TERM "$product_wrapper" 2>/dev/null || true
  for _ in $(seq 1 60); do
    alive=$(for pid in $everyone; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done)
    [ -z "$alive" ] && break
    sleep 0.5
  done
  for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
  product_wrapper=""
  return 0
}
