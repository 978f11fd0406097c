#!/usr/bin/env bash
# Once the broker is up: one user per service with exactly the rights deploy/local/servers.sh gives it locally
# (its `rabbitmq-permissions`, sourced from the same script), in one import_definitions call whose JSON goes through
# standard input, so no password appears in a command line. Idempotent: a re-run resets the passwords and rights.
# Runs as the rabbitmq user with the broker's data volume mounted read-only, for its Erlang cookie.
set -euo pipefail
# shellcheck source=../local/servers.sh
source "${TP_SERVERS_SH:-/opt/trust-platform/deploy/local/servers.sh}"
node=rabbit@${TP_RABBITMQ_NODE_HOST:-rabbitmq}
vhost=${TP_RABBITMQ_VHOST:-/trust}

rabbitmqctl -n "$node" -q await_startup

users='' permissions='' sep=''
for svc in "${TP_SERVICES[@]}"; do
  password_var="TP_RABBITMQ_${svc^^}_PASSWORD"
  [[ -n ${!password_var:-} ]] || { echo "[rabbitmq-init] $password_var is not set" >&2; exit 1; }
  IFS=$'\t' read -r configure write read < <(tp_rabbitmq_permissions "$svc")
  users+="$sep{\"name\":$(_tp_json_string "trust-$svc"),\"password\":$(_tp_json_string "${!password_var}"),\"tags\":\"\"}"
  permissions+="$sep{\"user\":$(_tp_json_string "trust-$svc"),\"vhost\":$(_tp_json_string "$vhost"),"
  permissions+="\"configure\":$(_tp_json_string "$configure"),\"write\":$(_tp_json_string "$write"),\"read\":$(_tp_json_string "$read")}"
  sep=,
done
printf '{"vhosts":[{"name":%s}],"users":[%s],"permissions":[%s]}\n' "$(_tp_json_string "$vhost")" "$users" "$permissions" |
  rabbitmqctl -n "$node" -q import_definitions
echo "[rabbitmq-init] users $(printf 'trust-%s ' "${TP_SERVICES[@]}")on $vhost"
