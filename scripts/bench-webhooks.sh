#!/usr/bin/env bash
# Webhook ingest benchmark: the Api alone (no Worker) on durable PostgreSQL and Redis, against a
# bare Kestrel endpoint and pgbench running the webhook's own statements. Prints its figures.
# Options pass through, e.g. ./scripts/bench-webhooks.sh --rate 1000 --seconds 20 --connections 32
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
configuration=${LEADSPEER_CONFIGURATION:-Release}   # CI's smoke step runs the Debug build its test step made
[ -n "${LEADSPEER_BUILT:-}" ] || dotnet build bench/LeadsPeer.Benchmarks -c "$configuration" -nologo -v q
exec dotnet bench/LeadsPeer.Benchmarks/bin/$configuration/net10.0/LeadsPeer.Benchmarks.dll "$@"
