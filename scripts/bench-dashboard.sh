#!/usr/bin/env bash
# Dashboard benchmark: live update latency (webhook → the operator's screen in Chromium) and the
# inbox of 1,000 conversations. Prints its figures; exits non-zero when a goal is missed.
#   ./scripts/bench-dashboard.sh [--probes 50] [--conversations 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
configuration=${LEADSPEER_CONFIGURATION:-Release}   # CI's smoke step runs the Debug build its test step made
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Dashboard.Benchmarks -c "$configuration" -nologo -v q
exec dotnet bench/LeadsPeer.Dashboard.Benchmarks/bin/$configuration/net10.0/LeadsPeer.Dashboard.Benchmarks.dll "$@"
