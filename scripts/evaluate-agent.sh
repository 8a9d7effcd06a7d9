#!/usr/bin/env bash
# Agent evaluation on the eShopSupport manuals (retrieval hits and answer/decline decisions),
# then on our own bakery's messages (answer / decline / handoff / flow, held-out and tuning halves).
#   ./scripts/evaluate-agent.sh ../shared/fixtures/eshopsupport-manuals/ [--threshold 0.50]
#   ./scripts/evaluate-agent.sh --bakery        the bakery's messages only (no manuals needed)
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${LEADSPEER_CONFIGURATION:-Release}   # CI's smoke step runs the Debug build its test step made
if [ "${1:-}" = "--bakery" ]; then
  bash scripts/setup.sh
  [ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Knowledge.Benchmarks -c "$configuration" -nologo -v q
  exec dotnet bench/LeadsPeer.Knowledge.Benchmarks/bin/$configuration/net10.0/LeadsPeer.Knowledge.Benchmarks.dll evaluate --bakery
fi
if [ $# -lt 1 ] || [ ! -f "$1/evalquestions.json" ]; then
  echo "Usage: $0 <folder of the eShopSupport manuals: 1.pdf … 5.pdf and evalquestions.json> [--threshold N]" >&2
  echo "From the project root the fixtures are at ../shared/fixtures/eshopsupport-manuals/" >&2
  exit 2
fi
folder="$(cd "$1" && pwd)"; shift
bash scripts/setup.sh
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Knowledge.Benchmarks -c "$configuration" -nologo -v q
exec dotnet bench/LeadsPeer.Knowledge.Benchmarks/bin/$configuration/net10.0/LeadsPeer.Knowledge.Benchmarks.dll evaluate "$folder" "$@"
