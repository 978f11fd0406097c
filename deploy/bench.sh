#!/usr/bin/env bash
# Benchmarks: print figures against a baseline measured in the same run (nothing is asserted).
#   deploy/bench.sh outbox [events]     outbox drain rate and commit-to-consumer latency
#   deploy/bench.sh notify [events] [per second]   commit to webhook received and to mail accepted by the SMTP server
#   deploy/bench.sh cases [cases] [schools]   case search and trust statistics p95 vs plain SQL (default 200000 500)
#   deploy/bench.sh training-import [rows]   completion import over HTTP vs raw COPY of the same rows (default 10000)
#   deploy/bench.sh idle [idle s] [load s]   per service process: cold start to ready, RSS idle and under load, idle CPU (60 20)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"
tp_servers_up
tp_servers_export
TP_TEST_RUN_ID="b$(_tp_rand | cut -c1-8)"
export TP_TEST_RUN_ID DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build tests/Trust.Platform.Benchmarks -c Release >/dev/null || dotnet build tests/Trust.Platform.Benchmarks -c Release
# Publish after the build: publishing for a runtime restores the projects again, and a build after it would leave the
# Release output newer than what was published (the process benchmarks refuse a stale publish).
case ${1:-} in
  idle | story | policy)
    # These run services as processes, from their published output (ReadyToRun), as deploy/run.sh does.
    bash "$REPO/deploy/publish.sh" Policy Accounts Incidents Training Gateway
    ;;
esac
dotnet tests/Trust.Platform.Benchmarks/bin/Release/net10.0/Trust.Platform.Benchmarks.dll "$@"
