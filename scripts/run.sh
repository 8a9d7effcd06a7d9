#!/usr/bin/env bash
# Sets up what is missing, then runs the whole product (Aspire AppHost: PostgreSQL, Redis,
# Api, Worker, Web) with its dashboard. Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

# https only where a trusted development certificate exists; plain http on loopback otherwise.
profile=http
if dotnet dev-certs https --check --trust >/dev/null 2>&1; then
  profile=https
fi

echo "[run] Aspire dashboard: $([ "$profile" = https ] && echo https://localhost:17300 || echo http://localhost:15300)"
echo "[run] Api: http://localhost:5301 · Web (dashboard for operators): http://localhost:5302 · Worker: http://localhost:5303"
# LEADSPEER_BUILT (set by CI after its build of the whole solution): run that build as it is.
exec dotnet run --project LeadsPeer.AppHost --launch-profile "$profile" ${LEADSPEER_BUILT:+--no-build}
