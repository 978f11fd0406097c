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
# The walkthrough test runs docs/walkthrough.md's curl and jq commands for real.
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || _tp_apt_install "$tool"
done

# Tests name their own databases/vhosts after this id, so concurrent/repeated runs do not clash.
TP_TEST_RUN_ID="t$(_tp_rand | cut -c1-8)"
export TP_TEST_RUN_ID
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ -n ${CI:-} ]]; then
  # No MSBuild worker nodes left behind after a CI run.
  export MSBUILDDISABLENODEREUSE=1
fi
echo "[test] TP_TEST_RUN_ID=$TP_TEST_RUN_ID"

# The console's build runs npm ci for GOV.UK Frontend; its browser tests drive Debian's Chromium.
command -v npm >/dev/null 2>&1 || _tp_apt_install nodejs npm
command -v chromium >/dev/null 2>&1 || _tp_apt_install chromium

rc=0
dotnet build Trust.Platform.sln -c Release || exit 1
# The tests that run a service as a process (faults, migrate verb) run what deploy/run.sh runs: the published output.
bash deploy/publish.sh Policy Accounts Incidents Training Gateway || exit 1

# The typed clients generated from the contracts (clients/csharp with Kiota, clients/typescript's types) are committed; a
# contract change without its regenerated clients fails here, before the suites (Story.Tests runs the AET story
# through both).
command -v npm >/dev/null 2>&1 || _tp_apt_install nodejs npm
bash deploy/clients.sh
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1 && [[ -n $(git -C "$REPO" status --porcelain -- clients) ]]; then
  git -C "$REPO" status --short -- clients >&2
  echo "[test] clients/csharp differs from what openapi/*.json generates: run deploy/clients.sh and commit" >&2
  rc=1
fi

# The committed contracts must pass Spectral's OpenAPI rules and the OWASP API Security ruleset with no error
# (tools/contract pins both); ContractCheck in the suites then proves every answer the tests receive matches them.
command -v npm >/dev/null 2>&1 || _tp_apt_install nodejs npm
echo "[test] contract lint: spectral (oas + OWASP) over openapi/*.json"
if ! (cd tools/contract && npm ci --no-audit --no-fund --loglevel=error >/dev/null &&
  npx --no-install spectral lint --fail-severity=error --display-only-failures -f stylish ../../openapi/*.json); then
  echo "[test] contract lint failed: see the errors above" >&2
  rc=1
fi

# The deployment files render and pass their offline checks: kubectl kustomize of the production overlay, the rules
# every rendered object must keep, and deploy/compose.yaml against the Compose schema.
echo "[test] deployment: deploy/k8s/check.sh"
if ! bash deploy/k8s/check.sh; then
  echo "[test] deployment checks failed: see the errors above" >&2
  rc=1
fi

# Test projects run one after another, not in parallel: the messaging tests stop and restart the
# shared RabbitMQ node, which would cut the connections of any other suite running at that moment.
log="$TP_STATE/test-output.log"
mkdir -p "$TP_STATE"
: >"$log"
run_suite() { # project, then the log files to append to
  local project=$1 status
  shift
  set +e
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" "${TEST_ARGS[@]}" 2>&1 | tee -a "$@"
  status=${PIPESTATUS[0]}
  set -e
  ((status == 0)) || rc=$status
}
TEST_ARGS=("$@")

for project in tests/*.Tests/*.Tests.csproj; do
  echo "[test] $project${Clock__Now:+ (Clock__Now=$Clock__Now)}"
  run_suite "$project" "$log"
done

# The suites that reason about time, run again with the platform clock fixed at one of the days it must get right
# (docs/adr/0007): the Christmas and the summer holidays, the leap day, the night the clocks go forward. The day
# of the year picks one, so CI covers all four within four days; TP_CLOCK_PICK=0..3 picks one, TP_CLOCK_RUN=0
# skips this step.
CLOCK_INSTANTS=("2026-12-24T09:00 Europe/London" "2027-08-01T09:00 Europe/London" "2028-02-29T09:00 Europe/London" "2027-03-28T01:30 Europe/London")
TIME_SUITES=(Libs Policy Accounts Incidents Training Integration Story)
if [[ ${TP_CLOCK_RUN:-1} != 0 ]]; then
  pick=${TP_CLOCK_PICK:-$((10#$(date -u +%j) % ${#CLOCK_INSTANTS[@]}))}
  instant=${CLOCK_INSTANTS[$pick]}
  clock_log="$TP_STATE/test-output-clock.log"
  : >"$clock_log"
  picked_by=${TP_CLOCK_PICK:+TP_CLOCK_PICK}
  echo "[test] clock run: Clock__Now='$instant' (instant $((pick + 1)) of ${#CLOCK_INSTANTS[@]}, picked by ${picked_by:-the day of the year})"
  for suite in "${TIME_SUITES[@]}"; do
    project=tests/Trust.Platform.$suite.Tests/Trust.Platform.$suite.Tests.csproj
    echo "[test] $project (Clock__Now=$instant)"
    Clock__Now=$instant run_suite "$project" "$log" "$clock_log"
  done
fi

# dotnet test's summary prints "     Passed: N" / "     Failed: N" / "    Skipped: N" under "Total tests:" for each project.
summarise() {
  awk '
    /^Total tests: / { in_summary = 1; next }
    in_summary && /^ +Passed: +[0-9]+ *$/  { p += $2; next }
    in_summary && /^ +Failed: +[0-9]+ *$/  { f += $2; next }
    in_summary && /^ +Skipped: +[0-9]+ *$/ { s += $2; next }
    in_summary && !/^ / { in_summary = 0 }
    END { printf "%d %d %d\n", p, f, s }' "$1"
}
if [[ -n ${clock_log:-} ]]; then
  read -r passed failed skipped < <(summarise "$clock_log")
  echo "[test] clock run at $instant: $passed passed, $failed failed, $skipped skipped"
fi
# A CI that shows only the end of the output still names each failed test and the first lines of its message.
failures() {
  awk '
    /^  Failed [A-Za-z_]/ { print; left = 12; next }
    left > 0 && /^  (Passed|Failed|Skipped) / { left = 0 }
    left > 0 { print; left-- }' "$1"
}
if grep -q '^  Failed [A-Za-z_]' "$log"; then
  echo "[test] failed tests, each with the first lines of its message (both runs):"
  failures "$log" | cut -c1-300
fi
# One closing line that any CI can read: "N passed, N failed" (both runs).
read -r passed failed skipped < <(summarise "$log")
if ((passed + failed == 0)); then
  echo "[test] no test ran" >&2
  rc=1
fi
echo "$passed passed, $failed failed, $skipped skipped"

if [[ -n ${CI:-} ]]; then
  dotnet build-server shutdown >/dev/null 2>&1 || true # compiler servers would outlive CI
fi
if [[ ${TP_STOP_SERVERS:-0} == 1 ]]; then
  tp_servers_down
fi
exit "$rc"
