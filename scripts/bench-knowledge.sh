#!/usr/bin/env bash
# Knowledge benchmarks; each prints its figures and exits non-zero when it misses its goal.
#   ./scripts/bench-knowledge.sh index ../shared/fixtures/eshopsupport-manuals/   indexing: pipeline vs raw model
#   ./scripts/bench-knowledge.sh retrieval                                        100k chunks among 1M: p50/p95, recall@10
#   ./scripts/bench-knowledge.sh reply                                            customer message → reply sent, local provider
#   ./scripts/bench-knowledge.sh fairness                                         another business's reply delay during a 500-customer burst
#   ./scripts/bench-knowledge.sh ordering                                         200 customers confirm the last 50 buns at once
#   ./scripts/bench-knowledge.sh catalog                                          10,000-row CSV import, typed item search
#   ./scripts/bench-knowledge.sh slots                                            free times over 14 days: 10 staff, 10,000 bookings
#   ./scripts/bench-knowledge.sh booking                                          50 customers confirm the same time at once
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
configuration=${LEADSPEER_CONFIGURATION:-Release}   # CI's smoke step runs the Debug build its test step made
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Knowledge.Benchmarks -c "$configuration" -nologo -v q
exec dotnet bench/LeadsPeer.Knowledge.Benchmarks/bin/$configuration/net10.0/LeadsPeer.Knowledge.Benchmarks.dll "$@"
