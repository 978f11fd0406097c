#!/usr/bin/env bash
# Command 1: local servers, Release build, migrations, the four services and the demo seed.
#   Policy    http://127.0.0.1:5101     Accounts  http://127.0.0.1:5102
#   Incidents http://127.0.0.1:5103     Training  http://127.0.0.1:5104
#   Gateway   http://127.0.0.1:5100     Console   http://127.0.0.1:5105 (the web console: choose a demo user)
# Ctrl-C (or SIGTERM) stops the services; PostgreSQL/RabbitMQ keep running unless
# TP_STOP_SERVERS_ON_EXIT=1. Service logs: .tp/logs/<service>.log
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"

SERVICES=(Policy Accounts Incidents Training)
declare -A PORTS=([Policy]=5101 [Accounts]=5102 [Incidents]=5103 [Training]=5104)
declare -A PIDS=()
LOGS="$TP_STATE/logs"
HEALTH_TIMEOUT=90

say() { printf '[run] %s\n' "$*" >&2; }
die() {
  printf '[run] ERROR: %s\n' "$*" >&2
  exit 1
}

svc_dir() { printf '%s/.tp/publish/%s' "$REPO" "$1"; }

# Runs the published service dll (deploy/publish.sh: ReadyToRun) from its folder (so appsettings*.json are found).
svc_exec() {
  local svc=$1
  shift
  cd "$(svc_dir "$svc")" && exec dotnet "Trust.Platform.$svc.dll" "$@"
}

# Prints the HTTP status of GET http://127.0.0.1:$1$2 (empty if nothing answers); no curl needed.
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
    read -r -t 5 _ code _ <&3 || true
    printf '%s' "${code:-}"
  ) 2>/dev/null
}

stop_services() {
  local svc pid deadline
  trap - INT TERM EXIT
  for svc in "${!PIDS[@]}"; do
    kill -TERM "${PIDS[$svc]}" 2>/dev/null || true
  done
  # Graceful host shutdown first, SIGKILL after 15 s.
  deadline=$((SECONDS + 15))
  for svc in "${!PIDS[@]}"; do
    pid=${PIDS[$svc]}
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  ((${#PIDS[@]} == 0)) || say "services stopped"
  if [[ ${TP_STOP_SERVERS_ON_EXIT:-0} == 1 ]]; then
    tp_servers_down
  fi
}

tp_servers_up
tp_servers_export
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The console's build installs GOV.UK Frontend with npm (services/Console/package-lock.json).
command -v npm >/dev/null 2>&1 || _tp_apt_install nodejs npm
say "dotnet build Trust.Platform.sln -c Release"
dotnet build Trust.Platform.sln -c Release || die "build failed"
say "deploy/publish.sh (ReadyToRun, into .tp/publish)"
bash deploy/publish.sh "${SERVICES[@]}" Gateway Console || die "publish failed"
for svc in "${SERVICES[@]}" Gateway Console; do
  [[ -f $(svc_dir "$svc")/Trust.Platform.$svc.dll ]] ||
    die "missing $(svc_dir "$svc")/Trust.Platform.$svc.dll after the publish"
done

# Service configuration (exported, so passwords never appear in a command line).
npgsql() {
  printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s' \
    "$TP_PG_HOST" "$TP_PG_PORT" "$TP_PG_DATABASE" "$1" "$2"
}
# The owner connection string is given to the migrate step alone: a running service only ever holds the
# app role's (which owns nothing and cannot bypass row-level security).
owner_connection=$(npgsql "$TP_PG_OWNER_USER" "$TP_PG_OWNER_PASSWORD")
unset ConnectionStrings__Owner
ConnectionStrings__App=$(npgsql "$TP_PG_APP_USER" "$TP_PG_APP_PASSWORD")
export ConnectionStrings__App
# The outbox dispatcher's role: the only one that may claim, mark and purge outbox rows (the app role only adds them).
ConnectionStrings__Dispatcher=$(npgsql "$TP_PG_DISPATCHER_USER" "$TP_PG_DISPATCHER_PASSWORD")
export ConnectionStrings__Dispatcher
# Migrations already ran as their own step; with no owner string a service could not apply them anyway.
export Database__MigrateOnStartup=false
# The local token signing key: random per machine, kept in .tp/secrets.env with the passwords.
Auth__SigningKey=$(_tp_secret TP_JWT_SIGNING_KEY)
export Auth__SigningKey
# The key webhook signing secrets are derived from, given to Policy only; a new key changes every subscription's secret.
POLICY_WEBHOOK_KEY=$(_tp_secret TP_WEBHOOK_SIGNING_KEY 32)
# Incidents' evidence: a data folder outside the build output (0700, made by the service) and the AES-256 key that
# encrypts it at rest (32 random bytes per machine, with the other secrets). Given to Incidents only.
INCIDENTS_EVIDENCE_PATH="$TP_STATE/evidence"
INCIDENTS_EVIDENCE_KEY=$(_tp_secret TP_EVIDENCE_KEY 32)
# Mail goes to the local SMTP server (OpenSMTPD on loopback, servers.sh): it keeps every message in .tp/mail/<address>/.
export Smtp__Host=$TP_SMTP_HOST Smtp__Port=$TP_SMTP_PORT
[[ ${TP_SMTP_EXTERNAL:-0} == 1 ]] || export Smtp__Tls=none
# The broker user is per service (below): rights on its own queues and the exchanges of its own events only.
export RabbitMq__Host=$TP_RABBITMQ_HOST RabbitMq__Port=$TP_RABBITMQ_PORT \
  RabbitMq__VirtualHost=$TP_RABBITMQ_VHOST ASPNETCORE_ENVIRONMENT=Development
# Replicas reconcile their API keys with Policy directly (docs/adr/0006); Policy ignores it.
export ApiKeys__PolicyUrl="http://127.0.0.1:${PORTS[Policy]}"
# The platform clock (docs/adr/0007): with Clock__Now set, every process of this run (services, gateway, the seed and
# the tokens it prints) starts from that instant at the same real moment, and the clock runs on from there.
if [[ -n ${Clock__Now:-} ]]; then
  export Clock__Now Clock__Anchor=${Clock__Anchor:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
  say "platform clock: $Clock__Now at $Clock__Anchor (Clock__Now; never honoured in Production)"
fi

for svc in "${SERVICES[@]}"; do
  say "$svc: migrate"
  (ConnectionStrings__Owner=$owner_connection svc_exec "$svc" migrate) || die "$svc migrate failed"
done

mkdir -p "$LOGS"
trap 'stop_services; exit 130' INT
trap 'stop_services; exit 143' TERM
trap stop_services EXIT # also on a failed start below

for svc in "${SERVICES[@]}"; do
  port=${PORTS[$svc]}
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port ($svc) is already in use (another deploy/run.sh still running?)"
  fi
  log="$LOGS/${svc,,}.log"
  broker=$(tp_rabbitmq_credentials "${svc,,}") # "<user>\t<password>"
  say "$svc: starting on http://127.0.0.1:$port (log $log)"
  (
    if [[ $svc == Policy ]]; then
      export Webhooks__SigningKey=$POLICY_WEBHOOK_KEY
    fi
    if [[ $svc == Incidents ]]; then
      export Evidence__Path=$INCIDENTS_EVIDENCE_PATH Evidence__Key=$INCIDENTS_EVIDENCE_KEY
    fi
    export RabbitMq__Username=${broker%%$'\t'*} RabbitMq__Password=${broker#*$'\t'}
    ASPNETCORE_URLS="http://127.0.0.1:$port" svc_exec "$svc"
  ) </dev/null >"$log" 2>&1 &
  PIDS[$svc]=$!
done

# Services boot in parallel; each gets HEALTH_TIMEOUT seconds from now.
deadline=$((SECONDS + HEALTH_TIMEOUT))
for svc in "${SERVICES[@]}"; do
  port=${PORTS[$svc]}
  log="$LOGS/${svc,,}.log"
  until [[ $(http_status "$port" /health/ready) == 200 ]]; do
    if ! kill -0 "${PIDS[$svc]}" 2>/dev/null; then
      tail -n 40 "$log" >&2
      die "$svc exited during startup (log: $log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$log" >&2
      die "$svc: /health/ready did not answer 200 within ${HEALTH_TIMEOUT} s (log: $log)"
    fi
    sleep 0.5
  done
  say "$svc: ready"
done

# The gateway: one base URL in front of the four services (it authorises nothing itself).
gateway_port=5100
if (exec 3<>"/dev/tcp/127.0.0.1/$gateway_port") 2>/dev/null; then
  die "port $gateway_port (Gateway) is already in use"
fi
say "Gateway: starting on http://127.0.0.1:$gateway_port (log $LOGS/gateway.log)"
(
  export Services__policy="http://127.0.0.1:${PORTS[Policy]}" Services__accounts="http://127.0.0.1:${PORTS[Accounts]}"
  export Services__incidents="http://127.0.0.1:${PORTS[Incidents]}" Services__training="http://127.0.0.1:${PORTS[Training]}"
  ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" svc_exec Gateway
) </dev/null >"$LOGS/gateway.log" 2>&1 &
PIDS[Gateway]=$!
until [[ $(http_status "$gateway_port" /health/ready) == 200 ]]; do
  if ! kill -0 "${PIDS[Gateway]}" 2>/dev/null || ((SECONDS >= deadline + 30)); then
    tail -n 40 "$LOGS/gateway.log" >&2
    die "Gateway did not become ready (log: $LOGS/gateway.log)"
  fi
  sleep 0.5
done
say "Gateway: ready"

say "seeding demo data"
(Services__Policy="http://127.0.0.1:${PORTS[Policy]}" svc_exec Policy seed-demo) || die "Policy seed-demo failed"

# The web console: calls the services through the gateway with the signed-in person's token. In Development its
# "choose a demo user" page gets the token from Policy's development minter (Policy's own port: the minter refuses the gateway).
console_port=5105
if (exec 3<>"/dev/tcp/127.0.0.1/$console_port") 2>/dev/null; then
  die "port $console_port (Console) is already in use"
fi
say "Console: starting on http://127.0.0.1:$console_port (log $LOGS/console.log)"
(
  export Console__GatewayUrl="http://127.0.0.1:$gateway_port" Console__DevTokenUrl="http://127.0.0.1:${PORTS[Policy]}"
  ASPNETCORE_URLS="http://127.0.0.1:$console_port" svc_exec Console
) </dev/null >"$LOGS/console.log" 2>&1 &
PIDS[Console]=$!
until [[ $(http_status "$console_port" /health/live) == 200 ]]; do
  if ! kill -0 "${PIDS[Console]}" 2>/dev/null || ((SECONDS >= deadline + 60)); then
    tail -n 40 "$LOGS/console.log" >&2
    die "Console did not start (log: $LOGS/console.log)"
  fi
  sleep 0.5
done
say "Console: ready"

echo
printf '%-10s http://127.0.0.1:%s   (/policy, /accounts, /incidents, /training; API reference at /docs)\n' Gateway "$gateway_port"
for svc in "${SERVICES[@]}"; do
  printf '%-10s http://127.0.0.1:%s\n' "$svc" "${PORTS[$svc]}"
done
printf '%-10s http://127.0.0.1:%s   (web console: open it and choose a demo user)\n' Console "$console_port"
echo "Logs: $LOGS/ — Ctrl-C stops the services."
wait
