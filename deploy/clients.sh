#!/usr/bin/env bash
# Regenerates the typed C# clients in clients/csharp from the committed contracts (openapi/*.json) with Kiota
# (the dotnet tool pinned in dotnet-tools.json), and the TypeScript example's types (openapi-typescript), then compiles it. deploy/test.sh runs it and fails when the committed clients differ:
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
# The TypeScript example: types from the same documents (openapi-typescript), compiled with its story script.
command -v npm >/dev/null 2>&1 || { echo "[clients] npm is needed for clients/typescript" >&2; exit 1; }
(cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent generate >/dev/null && npm run --silent build)
echo "[clients] clients/csharp and clients/typescript regenerated from openapi/*.json"
