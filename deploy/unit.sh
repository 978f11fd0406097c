#!/usr/bin/env bash
# The pure-logic tests alone (trait Category=Unit: settings merge, SLA clock, request-target rules, markdown,
# clocks and calendars, domain transitions): no PostgreSQL, no RabbitMQ, no network. The servers' settings are
# cleared, so a test marked Unit that reaches for a server fails here instead of passing by accident.
#   deploy/unit.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
unset "${!TP_PG_@}" "${!TP_RABBITMQ_@}"
dotnet build Trust.Platform.sln -c Release -v quiet -clp:ErrorsOnly
started=$SECONDS
dotnet test Trust.Platform.sln -c Release --no-build --filter "Category=Unit" "$@"
echo "[unit] the pure-logic tests ran in $((SECONDS - started)) s (after the build)"
