#!/usr/bin/env bash
# Command 2: start (or reuse) the local PostgreSQL + RabbitMQ and run the whole test suite.
#   deploy/test.sh [extra dotnet test args, e.g. --filter Category=Smoke]
# The servers are left running afterwards so re-runs skip the ~10 s cold start;
# TP_STOP_SERVERS=1 stops them after the run.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

export TP_PG_FAST=1 # throw-away test data: fsync/synchronous_commit off
# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"
tp_servers_up
tp_servers_export

# Tests name their own databases/vhosts after this id, so concurrent/repeated runs do not clash.
TP_TEST_RUN_ID="t$(_tp_rand | cut -c1-8)"
export TP_TEST_RUN_ID
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ -n ${CI:-} ]]; then
  # No MSBuild worker nodes left behind after a CI run.
  export MSBUILDDISABLENODEREUSE=1
fi
echo "[test] TP_TEST_RUN_ID=$TP_TEST_RUN_ID"

rc=0
dotnet test Trust.Platform.sln -c Release --logger "console;verbosity=normal" "$@" || rc=$?

if [[ -n ${CI:-} ]]; then
  dotnet build-server shutdown >/dev/null 2>&1 || true # compiler servers would outlive CI
fi
if [[ ${TP_STOP_SERVERS:-0} == 1 ]]; then
  tp_servers_down
fi
exit "$rc"
