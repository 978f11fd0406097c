#!/usr/bin/env bash
# What runs as a process: each service published ReadyToRun (precompiled, so a cold start jits little) for this
# machine's architecture, framework-dependent, into .tp/publish/<Service>. deploy/run.sh, deploy/test.sh (the tests that
# run services as processes) and deploy/bench.sh run these; the Dockerfile publishes the same way.
#   deploy/publish.sh [Service ...]   (default: Policy Accounts Incidents Training Gateway Console)
# Cold start, RSS and throughput with and without ReadyToRun: docs/adr/0160-memory-and-idle.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case "$(uname -m)" in
  x86_64 | amd64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *)
    echo "[publish] no ReadyToRun target for $(uname -m)" >&2
    exit 1
    ;;
esac

services=("$@")
((${#services[@]})) || services=(Policy Accounts Incidents Training Gateway Console)
for svc in "${services[@]}"; do
  [[ -f services/$svc/Trust.Platform.$svc.csproj ]] || {
    echo "[publish] no service $svc" >&2
    exit 1
  }
  out="$REPO/.tp/publish/$svc"
  echo "[publish] $svc -> .tp/publish/$svc ($rid, ReadyToRun)" >&2
  # A fresh folder: a file left by an earlier publish (a removed dependency) would be loaded by nothing but would mislead.
  rm -rf "$out"
  dotnet publish "services/$svc/Trust.Platform.$svc.csproj" -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out" -v quiet -clp:ErrorsOnly
done
