#!/usr/bin/env bash
# Runs every command the README documents, briefly (short durations where a command takes
# options), so that a documented command cannot stop working unnoticed: the run command with the
# README's sandbox walkthrough and the token re-encryption, the start-up measurement, every
# benchmark and the agent evaluation. A benchmark's speed goals are its own business (a short run
# on a busy machine may miss them): here it must run to its end and print its figures.
# Ends with "N passed, N failed". The manuals' folder: FIXTURES (../shared/fixtures/eshopsupport-manuals).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/product.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fixtures=${FIXTURES:-../shared/fixtures/eshopsupport-manuals}
began=$(date +%s)
work=$(mktemp -d)
trap 'set +e; product_stop; rm -rf "$work"' EXIT

# check NAME "MARKER" "EXIT CODES" COMMAND…: passes when the command exits with one of the codes
# and its output holds the marker (a line of its figures). A command has 15 minutes at most.
check() {
  local name=$1 marker=$2 codes=$3 log started rc
  shift 3
  log="$work/$(echo "$name" | tr -c 'a-z0-9' '-').log"
  started=$(date +%s)
  if declare -F "$1" >/dev/null; then
    "$@" >"$log" 2>&1   # a function of this script, with its own time limit
  else
    timeout 900 "$@" >"$log" 2>&1
  fi
  rc=$?
  if grep -q -- "$marker" "$log" && [[ " $codes " == *" $rc "* ]]; then
    record ok
    echo "[smoke] ok      $name ($(( $(date +%s) - started )) s): $(grep -- "$marker" "$log" | tail -1 | cut -c1-160)"
  else
    record FAILED
    echo "[smoke] FAILED  $name (exit $rc, expected \"$marker\"):"
    tail -25 "$log" | sed 's/^/    /'
  fi
}

# One line per check ("ok" or "FAILED"), counted at the end: the two lanes below run side by side.
record() { echo "$1" >>"$work/results"; }

# The README's walkthrough, as written, against the product started by the run command. The last
# command (the customer's inbox) is asked again until the answer is there: the README's pauses
# are for a person at a fast machine.
# Its second block (a template once the window has closed) and third (privacy) run on in the same shell.
walkthrough() {
  local script="$work/walkthrough.sh" inbox
  awk '/^### Try a conversation without a Meta account/ { f = 1 } f && /^```sh/ { b = 1; next } b && /^```/ { exit } b' README.md >"$script"
  inbox=$(grep 'customer-inbox' "$script" | sed 's/^sleep [0-9]*; //')
  [ -n "$inbox" ] || { echo "the README's walkthrough block has no customer-inbox command"; return 1; }
  awk '/^### Send a template once the window has closed/ { f = 1 } f && /^```sh/ { b = 1; next } b && /^```/ { exit } b' README.md >>"$script"
  cat >>"$script" <<LOOP

got=
for _ in \$(seq 1 30); do
  answers=\$($inbox)
  if grep -q 'fresh bread every Sunday' <<<"\$answers" && grep -q 'Hi Sam, your order is ready for pickup.' <<<"\$answers"; then
    echo; echo "the customer got the answer (fresh bread every Sunday) and the template (Hi Sam, your order is ready for pickup.)"; got=1; break
  fi
  sleep 1
done
[ -n "\$got" ] || exit 1
LOOP
  # Its third block (a customer's privacy request, the export, the closure and the purge), then what it must have shown.
  awk '/^### Answer a customer.s privacy request/ { f = 1 } f && /^```sh/ { b = 1; next } b && /^```/ { exit } b' README.md >>"$script"
  cat >>"$script" <<'CHECK'
[ "$(PGPASSWORD=leadspeer-dev-postgres pg_dump -h localhost -p 5433 -U postgres --data-only leadspeer | grep -c 15550000001)" = 0 ]
grep -q '15550000001' customer.json
unzip -l demo-bakery.zip | grep -q 'messages.json'
[ "$(PGPASSWORD=leadspeer-dev-postgres psql -h localhost -p 5433 -U postgres -At -c "SELECT count(*) FROM organizations WHERE name = 'Demo Bakery'" leadspeer)" = 0 ]
echo "and the customer erased, the organisation exported, closed and purged"
CHECK
  # A reader runs them in the clone's root; here they run in $work (for the files they write), so
  # the one command that names a project names it by its full path.
  sed -i "s#--project LeadsPeer.Api #--project $PWD/LeadsPeer.Api #" "$script"
  (cd "$work" && timeout 300 bash -e "$script")
}

bash scripts/setup.sh >/dev/null 2>&1 || { echo "[smoke] set-up failed"; echo "0 passed, 1 failed"; exit 1; }
# The benchmarks' build (Release), once: each command below then skips its own. Only the three
# benchmark projects (and what they reference): the tests are not run from Release.
# The commands run on the Debug build: a smoke check asks that each runs and prints its figures,
# not for the figures. After the test step (.ci/run sets LEADSPEER_BUILT) that build is there;
# building Release as well took CI about two minutes.
export LEADSPEER_CONFIGURATION=Debug
if [ -z "${LEADSPEER_BUILT:-}" ]; then
  for project in bench/LeadsPeer.Benchmarks bench/LeadsPeer.Dashboard.Benchmarks bench/LeadsPeer.Knowledge.Benchmarks; do
    dotnet build "$project" -c Debug -nologo -v q >/dev/null 2>&1 || { echo "[smoke] the build of $project failed"; echo "0 passed, 1 failed"; exit 1; }
  done
fi
export LEADSPEER_BUILT=1

# Two lanes side by side (a short command waits on servers and processes starting more than on
# the 2 cores). The product's lane: the run command with its data in a folder of its own (never a
# developer's .data), then the start-up measurement; both use the product's own ports, so one after
# the other. Then a few benchmarks, to even out the lanes.
product_lane() {
  trap 'set +e; product_stop' EXIT
  export Infra__DataPath="$work/data"
  mkdir -p "$Infra__DataPath" && chmod o+x "$work" "$Infra__DataPath"
  product_start "$work/run.log" bash scripts/run.sh
  if product_wait_healthy 300 >/dev/null; then
    record ok; echo "[smoke] ok      ./scripts/run.sh: the Api, the Worker and the Web are healthy"
    check "README walkthrough (sandbox customer, FAQ, upload, a template after the window closed, a privacy request, export, closure, purge)" "the organisation exported, closed and purged" "0" walkthrough
    check "dotnet run --project LeadsPeer.Api -- reencrypt-tokens" "Re-encrypted the secrets of" "0" \
      env ConnectionStrings__leadspeer="Host=localhost;Port=5433;Username=postgres;Password=leadspeer-dev-postgres;Database=leadspeer" \
          ConnectionStrings__redis="localhost:6380,password=leadspeer-dev-redis" \
          dotnet run --project LeadsPeer.Api --no-build --launch-profile http -- reencrypt-tokens
  else
    record FAILED; echo "[smoke] FAILED  ./scripts/run.sh: not healthy within 300 s"; tail -25 "$work/run.log" | sed 's/^/    /'
  fi
  product_stop
  unset Infra__DataPath

  check "IDLE_SECONDS=1 ./scripts/measure-startup.sh" "all healthy after" "0" env IDLE_SECONDS=1 bash scripts/measure-startup.sh

  # Benchmarks with servers of their own, here so that both lanes take about as long.
  if [ -f "$fixtures/evalquestions.json" ]; then
    # The manuals' evaluation runs the bakery's messages too, before its own last line: --bakery
    # alone would run them a second time.
    check "./scripts/evaluate-agent.sh <manuals> (the bakery's messages included)" "Declined or handed off" "0 1" bash scripts/evaluate-agent.sh "$fixtures"
    check "./scripts/bench-knowledge.sh index <manuals> --rounds 1" "Median: pipeline" "0 1" bash scripts/bench-knowledge.sh index "$fixtures" --rounds 1
  else
    # Without the manuals both say what they need and stop; the bakery's messages run alone.
    check "./scripts/evaluate-agent.sh (no manuals here)" "Usage:" "2" bash scripts/evaluate-agent.sh
    check "./scripts/bench-knowledge.sh index (no manuals here)" "eShopSupport manuals" "2" bash scripts/bench-knowledge.sh index
    check "./scripts/evaluate-agent.sh --bakery" "Grounding check on" "0" bash scripts/evaluate-agent.sh --bakery
  fi
}

# The benchmarks' lane: each starts its own servers on free ports.
bench_lane() {
  check "./scripts/bench-webhooks.sh (short)" "duplicates 0" "0 1" bash scripts/bench-webhooks.sh --rate 200 --seconds 3 --connections 8
  check "./scripts/bench-dashboard.sh (short)" "rows in the page's DOM" "0 1" bash scripts/bench-dashboard.sh --probes 3 --conversations 30
  check "./scripts/bench-knowledge.sh retrieval (small)" "Recall@10" "0 1" \
    bash scripts/bench-knowledge.sh retrieval --tenant-chunks 1000 --other-chunks 5000 --queries 20 --shared-buffers 256MB
  check "./scripts/bench-knowledge.sh reply (short)" "p95" "0 1" bash scripts/bench-knowledge.sh reply --messages 5 --at-once 5
  check "./scripts/bench-knowledge.sh ordering (short)" "Nothing oversold" "0 1" bash scripts/bench-knowledge.sh ordering --customers 6 --stock 3
  check "./scripts/bench-knowledge.sh booking (short)" "One booking, everyone else told." "0 1" bash scripts/bench-knowledge.sh booking --customers 6
  check "./scripts/bench-knowledge.sh catalog (small)" "Typed item search" "0 1" bash scripts/bench-knowledge.sh catalog --products 1000 --searches 100
  check "./scripts/bench-knowledge.sh slots (small)" "Slots over 14 days" "0 1" bash scripts/bench-knowledge.sh slots --staff 2 --days 30 --queries 20
}

touch "$work/results"
product_lane &
product_lane_pid=$!
bench_lane
wait "$product_lane_pid" || record FAILED   # a lane that died before its last check
passed=$(grep -c '^ok$' "$work/results")
failed=$(grep -c '^FAILED$' "$work/results")

echo "[smoke] wall time $(( $(date +%s) - began )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
