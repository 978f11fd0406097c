#!/usr/bin/env bash
# Regenerates the typed C# clients in clients/csharp from the committed contracts (openapi/*.json) with Kiota
# (the dotnet tool pinned in dotnet-tools.json). deploy/test.sh runs it and fails when the committed clients differ:
# a contract change must come with its regenerated client.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 KIOTA_TUTORIAL_ENABLED=false
dotnet tool restore >/dev/null
for service in policy accounts incidents training; do
  name=${service^}
  # Kiota looks for a newer version of itself online and logs the failure offline; only its errors matter here.
  (cd clients/csharp && dotnet kiota generate --language CSharp --openapi "../../openapi/$service.json" \
    --class-name "${name}Client" --namespace-name "Trust.Platform.Client.$name" --output "$name" \
    --exclude-backward-compatible --clean-output --log-level Error >/dev/null)
done
echo "[clients] clients/csharp regenerated from openapi/*.json"
