#!/usr/bin/env bash
# Offline checks of the deployment files, run by deploy/test.sh (so by .ci/run); no cluster and no Docker engine:
#   1. kubectl kustomize renders deploy/k8s/overlays/production;
#   2. validate.py asserts the platform's rules on every rendered object (probes, resources, non-root read-only pods,
#      secrets by reference, the owner login in the migration Job alone, default-deny network policies, only the
#      gateway exposed, production settings), and validate_test.py proves each rule catches its violation;
#   3. deploy/compose.yaml is validated against the Compose specification's schema (dclint, pinned in tools/compose)
#      and the same credential rules.
#   bash deploy/k8s/check.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh" # _tp_apt_install only: sourcing starts nothing

say() { printf '[k8s] %s\n' "$*" >&2; }

# kubectl with kustomize v4 or later (the base uses `labels`); Debian's kubernetes-client (1.20) embeds kustomize v2.
kustomize_ok() { command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -Eq 'Kustomize Version: v([4-9]|[1-9][0-9])\.'; }
if ! kustomize_ok; then
  # _tp_apt_install exits on failure: each attempt in a subshell of its own.
  (_tp_apt_install kubectl) || (_tp_apt_install kubernetes-client) || true
fi
kustomize_ok || { say "kubectl with kustomize v4 or later is required (found: $(kubectl version --client 2>&1 | tr '\n' ' '))"; exit 1; }

# Debian's python3 with PyYAML (python3-yaml); another python3 on PATH may lack it.
python=python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
  python=/usr/bin/python3
  "$python" -c 'import yaml' 2>/dev/null || _tp_apt_install python3 python3-yaml
fi

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
say "kubectl kustomize deploy/k8s/overlays/production"
kubectl kustomize deploy/k8s/overlays/production >"$rendered"
"$python" deploy/k8s/validate.py "$rendered"
say "the checks catch what they claim (validate_test.py)"
if ! out=$("$python" deploy/k8s/validate_test.py "$rendered" 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
printf '%s\n' "$out" | tail -n 3 >&2

say "deploy/compose.yaml: Compose schema (dclint) and credential rules"
command -v npm >/dev/null 2>&1 || _tp_apt_install nodejs npm
(cd tools/compose && npm ci --no-audit --no-fund --loglevel=error >/dev/null &&
  npx --no-install dclint -c .dclintrc ../../deploy/compose.yaml)
"$python" deploy/k8s/validate.py --compose deploy/compose.yaml
say "ok"
