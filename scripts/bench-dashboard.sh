#!/usr/bin/env bash
# Dashboard benchmark: live update latency (webhook → the operator's screen in Chromium) and the
# inbox of 1,000 conversations. Prints its figures; exits non-zero when a goal is missed.
#   ./scripts/bench-dashboard.sh [--probes 50] [--conversations 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Dashboard.Benchmarks -c Release -nologo -v q
exec dotnet bench/LeadsPeer.Dashboard.Benchmarks/bin/Release/net10.0/LeadsPeer.Dashboard.Benchmarks.dll "$@"
