#!/usr/bin/env bash
# Local PostgreSQL 15 + RabbitMQ for Trust.Platform; all state lives in $REPO/.tp/.
#
#   deploy/local/servers.sh up|down|env|status|rabbitmq-permissions
#   eval "$(deploy/local/servers.sh env)"          # TP_* connection settings for this shell
#   source deploy/local/servers.sh; tp_servers_up; tp_servers_export   # from other scripts
#
# Knobs (environment):
#   TP_PG_PORT=55432          local PostgreSQL port (127.0.0.1 only)
#   TP_PG_FAST=1              fsync/synchronous_commit off: for throw-away test data only
#   TP_PG_EXTERNAL=1          use an existing server: TP_PG_HOST, TP_PG_PORT, TP_PG_SUPERUSER,
#                             TP_PG_SUPERUSER_PASSWORD (roles/db are still provisioned there)
#   TP_RABBITMQ_PORT=56720    local AMQP port (127.0.0.1 only)
#   TP_RABBITMQ_DIST_PORT=56721  Erlang distribution port of the local node
#   TP_RABBITMQ_EXTERNAL=1    use an existing broker: TP_RABBITMQ_HOST/PORT/USER/PASSWORD
#                             [/VHOST=/trust] [/CTL] come from the caller, nothing is started or
#                             provisioned; run.sh then needs TP_RABBITMQ_<SERVICE>_USER/_PASSWORD
#                             (POLICY, ACCOUNTS, INCIDENTS, TRAINING), users the operator created
#                             with the rights `deploy/local/servers.sh rabbitmq-permissions` prints
#   TP_SMTP_PORT=55025        local SMTP port (127.0.0.1 only): OpenSMTPD from Debian's packages, which
#                             accepts mail for any address and delivers it into .tp/mail/<address>/new/
#                             (a Maildir per recipient, read by the notification tests); nothing is relayed
#   TP_SMTP_EXTERNAL=1        use an existing relay: TP_SMTP_HOST, TP_SMTP_PORT [TP_SMTP_USER,
#                             TP_SMTP_PASSWORD] come from the caller, nothing is started
#
# Roles and users (README "Roles and broker users"): PostgreSQL trust_owner (owns the schemas, runs
# migrations), trust_app (the request path: owns nothing, no BYPASSRLS) and trust_dispatcher (the outbox
# dispatcher: may only EXECUTE the outbox claim/mark/purge functions); RabbitMQ `trust` (administrator,
# for operators and the test harness, never given to a service) and one user per service,
# trust-<service>, whose rights on the vhost are limited to its own queues and exchanges and to the
# exchanges of the events it publishes (write) or consumes (read). The default `guest` is deleted.
#
# TP_PG_CTL (from `env`) is .tp/pg/pg_ctl = `pg_ctl -D .tp/pg/data` run as postgres, e.g. `$TP_PG_CTL -m fast -w stop`
# (empty with TP_PG_EXTERNAL=1 unless the caller sets it): the fault tests stop and start the server with it.
# TP_RABBITMQ_CTL (from `env`) is .tp/rabbitmq/rabbitmqctl = `rabbitmqctl -n tp@localhost` with the
# node's HOME/cookie, e.g. `$TP_RABBITMQ_CTL stop_app`. The node uses the cookie of Debian's rabbitmq
# user, so the stock `rabbitmqctl -n tp@localhost` works from root as well.
# The servers keep running after the calling script ends; a fresh clone elsewhere (CI) stops the
# tp servers of another checkout that hold the same ports/node name and starts its own.
#
# Sourcing only defines tp_* functions; they expect the caller to run with `set -euo pipefail`.

TP_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
TP_STATE="$TP_REPO/.tp"
TP_SECRETS="$TP_STATE/secrets.env"
TP_PG_BIN="${TP_PG_BIN:-/usr/lib/postgresql/15/bin}"
TP_PG_DIR="$TP_STATE/pg"
TP_PG_DB=trust_platform
TP_RMQ_DIR="$TP_STATE/rabbitmq"
TP_RMQ_NODE=tp@localhost
# The unwrapped scripts: Debian's /usr/sbin/rabbitmq* wrappers `su rabbitmq` when run as root
# (cd /var/lib/rabbitmq, HOME there); we run the node as root with its HOME in .tp/rabbitmq/home.
TP_RMQ_LIB=/usr/lib/rabbitmq/bin
TP_SMTP_DIR="$TP_STATE/smtpd"
TP_SMTP_MAIL="$TP_STATE/mail"

_TP_ENV_NAMES=(TP_PG_HOST TP_PG_PORT TP_PG_CTL TP_PG_OWNER_USER TP_PG_OWNER_PASSWORD TP_PG_APP_USER
  TP_PG_APP_PASSWORD TP_PG_DISPATCHER_USER TP_PG_DISPATCHER_PASSWORD TP_PG_DATABASE TP_RABBITMQ_HOST
  TP_RABBITMQ_PORT TP_RABBITMQ_USER TP_RABBITMQ_PASSWORD TP_RABBITMQ_VHOST TP_RABBITMQ_CTL
  TP_SMTP_HOST TP_SMTP_PORT TP_MAIL_DIR)

tp_log() { printf '[servers] %s\n' "$*" >&2; }
tp_die() {
  printf '[servers] ERROR: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- helpers

# $1 random bytes (default 16) as hex.
_tp_rand() {
  local n=${1:-16}
  openssl rand -hex "$n" 2>/dev/null || od -An -N"$n" -tx1 /dev/urandom | tr -d ' \n'
}

_tp_state_dir() {
  mkdir -p "$TP_STATE"
  chmod 755 "$TP_STATE" # postgres must traverse it to reach .tp/pg
}

# Prints secret $1 from .tp/secrets.env, generating it ($2 random bytes, default 16) and storing it on first use.
_tp_secret() {
  local key=$1 val=''
  _tp_state_dir
  [[ -f $TP_SECRETS ]] && val=$(sed -n "s/^${key}=//p" "$TP_SECRETS" | tail -n 1)
  if [[ -z $val ]]; then
    val=$(_tp_rand "${2:-16}")
    [[ -n $val ]] || tp_die "could not generate a random password"
    (umask 077 && printf '%s=%s\n' "$key" "$val" >>"$TP_SECRETS")
  fi
  chmod 600 "$TP_SECRETS"
  printf '%s' "$val"
}

# Runs "$@" with the `up` lock fd closed: daemons (postmaster, beam, epmd) spawned below would
# otherwise inherit it and hold the lock forever.
_tp_nolock() {
  if [[ -n ${_TP_LOCK_FD:-} ]]; then
    "$@" {_TP_LOCK_FD}>&-
  else
    "$@"
  fi
}

# TCP connect probe without curl/nc.
_tp_port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Stale servers: a fresh clone (CI) finds the servers of another checkout, or ours whose .tp was
# deleted under them, holding the fixed ports / node name. We cannot control them through their
# files any more, so they are stopped by signal.
_tp_proc_has() { # pid, NUL-separated /proc file, exact entry
  tr '\0' '\n' <"/proc/$1/$2" 2>/dev/null | grep -qxF -- "$3"
}

# Postmasters of .tp clusters (`postgres -D <x>/.tp/pg/data`) on port $1, or whose pid file is gone.
_tp_stale_pg_pids() {
  local p data port
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == postgres ]] || continue
    data=$(tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | sed -n '/^-D$/{n;p;q}') || continue
    [[ $data == */.tp/pg/data ]] || continue
    port=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
    [[ -z $port || $port == "$1" ]] && echo "$p"
  done
  return 0
}

# beam VMs running a node named $TP_RMQ_NODE (one name per machine).
_tp_rmq_node_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == beam.smp ]] || continue
    _tp_proc_has "$p" environ "RABBITMQ_NODENAME=$TP_RMQ_NODE" && echo "$p"
  done
  return 0
}

_tp_stop_pids() { # signal, what, pids...
  local sig=$1 what=$2 p deadline
  shift 2
  (($#)) || return 0
  tp_log "stopping stale $what, pid $* (from another checkout, a deleted .tp or other settings)"
  kill "-$sig" "$@" 2>/dev/null || true
  deadline=$((SECONDS + 30))
  for p in "$@"; do
    while kill -0 "$p" 2>/dev/null; do
      if ((SECONDS >= deadline + 5)); then
        tp_die "stale $what (pid $p) survived SIGKILL"
      elif ((SECONDS >= deadline)); then
        kill -KILL "$p" 2>/dev/null || true # no clean exit within 30 s
      fi
      sleep 0.2
    done
  done
}

_tp_apt_install() {
  [[ $EUID -eq 0 ]] || tp_die "$* is not installed and installing it needs root (apt-get install -y $*)"
  tp_log "installing $* with apt-get (one-time, may take a few minutes)"
  # Lock timeout: wait for a concurrent apt/dpkg instead of failing on its lock.
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update >&2 ||
    tp_die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 install "$@" >&2 ||
    tp_die "apt-get install $* failed"
}

# Resolves the effective settings into _TPV_<NAME> (caller's env when *_EXTERNAL=1, else local).
_tp_resolve() {
  _TPV_TP_PG_DATABASE=$TP_PG_DB
  _TPV_TP_PG_OWNER_USER=trust_owner
  _TPV_TP_PG_APP_USER=trust_app
  _TPV_TP_PG_DISPATCHER_USER=trust_dispatcher
  if [[ ${TP_PG_EXTERNAL:-0} == 1 ]]; then
    _TPV_TP_PG_HOST=${TP_PG_HOST:?TP_PG_EXTERNAL=1 needs TP_PG_HOST}
    _TPV_TP_PG_PORT=${TP_PG_PORT:-5432}
    _TPV_TP_PG_OWNER_PASSWORD=${TP_PG_OWNER_PASSWORD:-$(_tp_secret TP_PG_OWNER_PASSWORD)}
    _TPV_TP_PG_APP_PASSWORD=${TP_PG_APP_PASSWORD:-$(_tp_secret TP_PG_APP_PASSWORD)}
    _TPV_TP_PG_DISPATCHER_PASSWORD=${TP_PG_DISPATCHER_PASSWORD:-$(_tp_secret TP_PG_DISPATCHER_PASSWORD)}
    _TPV_TP_PG_CTL=${TP_PG_CTL:-}
  else
    _TPV_TP_PG_HOST=127.0.0.1
    _TPV_TP_PG_CTL=$TP_PG_DIR/pg_ctl
    _TPV_TP_PG_PORT=${TP_PG_PORT:-55432}
    _TPV_TP_PG_OWNER_PASSWORD=$(_tp_secret TP_PG_OWNER_PASSWORD)
    _TPV_TP_PG_APP_PASSWORD=$(_tp_secret TP_PG_APP_PASSWORD)
    _TPV_TP_PG_DISPATCHER_PASSWORD=$(_tp_secret TP_PG_DISPATCHER_PASSWORD)
  fi
  if [[ ${TP_RABBITMQ_EXTERNAL:-0} == 1 ]]; then
    _TPV_TP_RABBITMQ_HOST=${TP_RABBITMQ_HOST:?TP_RABBITMQ_EXTERNAL=1 needs TP_RABBITMQ_HOST}
    _TPV_TP_RABBITMQ_PORT=${TP_RABBITMQ_PORT:-5672}
    _TPV_TP_RABBITMQ_USER=${TP_RABBITMQ_USER:?TP_RABBITMQ_EXTERNAL=1 needs TP_RABBITMQ_USER}
    _TPV_TP_RABBITMQ_PASSWORD=${TP_RABBITMQ_PASSWORD:?TP_RABBITMQ_EXTERNAL=1 needs TP_RABBITMQ_PASSWORD}
    _TPV_TP_RABBITMQ_VHOST=${TP_RABBITMQ_VHOST:-/trust}
    _TPV_TP_RABBITMQ_CTL=${TP_RABBITMQ_CTL:-}
  else
    _TPV_TP_RABBITMQ_HOST=127.0.0.1
    _TPV_TP_RABBITMQ_PORT=${TP_RABBITMQ_PORT:-56720}
    _TPV_TP_RABBITMQ_USER=trust
    _TPV_TP_RABBITMQ_PASSWORD=$(_tp_secret TP_RABBITMQ_PASSWORD)
    _TPV_TP_RABBITMQ_VHOST=/trust
    _TPV_TP_RABBITMQ_CTL=$TP_RMQ_DIR/rabbitmqctl
  fi
  if [[ ${TP_SMTP_EXTERNAL:-0} == 1 ]]; then
    _TPV_TP_SMTP_HOST=${TP_SMTP_HOST:?TP_SMTP_EXTERNAL=1 needs TP_SMTP_HOST}
    _TPV_TP_SMTP_PORT=${TP_SMTP_PORT:-25}
    _TPV_TP_MAIL_DIR=''
  else
    _TPV_TP_SMTP_HOST=127.0.0.1
    _TPV_TP_SMTP_PORT=${TP_SMTP_PORT:-55025}
    _TPV_TP_MAIL_DIR=$TP_SMTP_MAIL
  fi
}

# ---------------------------------------------------------------- PostgreSQL

# Runs a command as the postgres OS user (initdb/postgres refuse root); cwd / so it is readable.
_tp_as_pg() {
  (cd / && _tp_nolock runuser -u postgres -- "$@")
}

_tp_psql_bin() {
  if [[ -x $TP_PG_BIN/psql ]]; then printf '%s' "$TP_PG_BIN/psql"; else command -v psql; fi
}

# psql as superuser, SQL on stdin.
_tp_psql_super() {
  local psql
  psql=$(_tp_psql_bin) || tp_die "psql not found"
  if [[ ${TP_PG_EXTERNAL:-0} == 1 ]]; then
    PGPASSWORD=${TP_PG_SUPERUSER_PASSWORD:-} PGCONNECT_TIMEOUT=10 "$psql" -X -q -v ON_ERROR_STOP=1 \
      -h "$_TPV_TP_PG_HOST" -p "$_TPV_TP_PG_PORT" -U "${TP_PG_SUPERUSER:-postgres}" -d postgres
  else
    # Unix socket + peer auth: only the postgres OS user is the superuser.
    _tp_as_pg "$psql" -X -q -v ON_ERROR_STOP=1 -h "$TP_PG_DIR/run" -p "$_TPV_TP_PG_PORT" \
      -U postgres -d postgres
  fi
}

# postgres must be able to traverse every parent folder of its data directory.
_tp_pg_make_reachable() {
  local d='' part parts
  _tp_as_pg test -x "$TP_STATE" && return 0
  IFS=/ read -r -a parts <<<"${TP_STATE#/}"
  for part in "${parts[@]}"; do # top-down: a child is only reachable once its parent is
    d="$d/$part"
    if ! _tp_as_pg test -x "$d"; then
      chmod o+x "$d"
      tp_log "chmod o+x $d (the postgres user must reach $TP_PG_DIR)"
    fi
  done
}

_tp_pg_write_conf() {
  local conf=$TP_PG_DIR/data/tp.conf
  {
    echo "# written by deploy/local/servers.sh on every 'up'"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $_TPV_TP_PG_PORT"
    echo "unix_socket_directories = '$TP_PG_DIR/run'"
    echo "max_connections = 300"
    echo "password_encryption = 'scram-sha-256'"
    if [[ ${TP_PG_FAST:-0} == 1 ]]; then
      echo "# TP_PG_FAST=1: durability off, test data only"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    else
      echo "fsync = on"
      echo "synchronous_commit = on"
      echo "full_page_writes = on"
    fi
  } >"$conf"
  chown postgres:postgres "$conf"
  chmod 600 "$conf"
}

_tp_pg_up() {
  local data=$TP_PG_DIR/data run=$TP_PG_DIR/run logdir=$TP_PG_DIR/log pgctl sock running_port
  pgctl=$TP_PG_BIN/pg_ctl
  if [[ ! -x $pgctl ]]; then
    _tp_apt_install postgresql-15
    [[ -x $pgctl ]] || tp_die "PostgreSQL 15 binaries still missing in $TP_PG_BIN"
  fi
  [[ $EUID -eq 0 ]] || tp_die "the local PostgreSQL is run via runuser and needs root"
  sock="$run/.s.PGSQL.$_TPV_TP_PG_PORT"
  ((${#sock} <= 107)) || tp_die "unix socket path too long (${#sock} > 107 chars): $sock; move the repo to a shorter path"

  _tp_state_dir
  install -d -o postgres -g postgres -m 700 "$TP_PG_DIR" "$run" "$logdir"
  _tp_pg_make_reachable

  if ! _tp_as_pg "$pgctl" -D "$data" status >/dev/null 2>&1; then
    # Before initdb: a stale postmaster of this very path would write into the new cluster.
    # SIGINT = fast shutdown of a postmaster.
    # shellcheck disable=SC2046 # pids are numbers
    _tp_stop_pids INT PostgreSQL $(_tp_stale_pg_pids "$_TPV_TP_PG_PORT")
  fi
  if [[ ! -s $data/PG_VERSION ]]; then
    tp_log "initdb $data"
    rm -rf "$data" # leftover of an interrupted initdb
    install -d -o postgres -g postgres -m 700 "$data"
    local nosync=()
    [[ ${TP_PG_FAST:-0} == 1 ]] && nosync=(--no-sync)
    _tp_as_pg "$TP_PG_BIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 "${nosync[@]}" >"$logdir/initdb.log" 2>&1 ||
      {
        tail -n 30 "$logdir/initdb.log" >&2
        rm -rf "$data"
        tp_die "initdb failed (full log: $logdir/initdb.log)"
      }
    echo "include_if_exists = 'tp.conf'" >>"$data/postgresql.conf"
  fi
  _tp_pg_write_conf
  # TP_PG_CTL (from `env`): pg_ctl for this cluster, run as postgres, for the fault tests that stop and start it.
  {
    echo '#!/bin/sh'
    echo "# pg_ctl for the local cluster in $data (run as postgres; the log is $logdir/postgres.log)."
    printf 'cd / && exec runuser -u postgres -- %q -D %q -l %q "$@"\n' "$pgctl" "$data" "$logdir/postgres.log"
  } >"$TP_PG_DIR/pg_ctl.tmp"
  chmod 755 "$TP_PG_DIR/pg_ctl.tmp"
  mv -f "$TP_PG_DIR/pg_ctl.tmp" "$TP_PG_DIR/pg_ctl"

  if _tp_as_pg "$pgctl" -D "$data" status >/dev/null 2>&1; then
    # Line 4 of postmaster.pid is the port it listens on; a changed TP_PG_PORT needs a restart.
    running_port=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
    if [[ $running_port != "$_TPV_TP_PG_PORT" ]]; then
      tp_log "PostgreSQL runs on port $running_port, restarting on $_TPV_TP_PG_PORT"
      _tp_as_pg "$pgctl" -D "$data" -m fast -w -s stop || tp_die "pg_ctl stop failed"
    else
      _tp_as_pg "$pgctl" -D "$data" -s reload || tp_die "pg_ctl reload failed" # applies TP_PG_FAST
      tp_log "PostgreSQL already running on 127.0.0.1:$_TPV_TP_PG_PORT"
    fi
  fi
  if ! _tp_as_pg "$pgctl" -D "$data" status >/dev/null 2>&1; then
    _tp_port_open 127.0.0.1 "$_TPV_TP_PG_PORT" &&
      tp_die "port $_TPV_TP_PG_PORT is already used by another program (set TP_PG_PORT)"
    tp_log "starting PostgreSQL on 127.0.0.1:$_TPV_TP_PG_PORT"
    _tp_as_pg "$pgctl" -D "$data" -l "$logdir/postgres.log" -w -t 60 -s start ||
      {
        tail -n 30 "$logdir/postgres.log" >&2
        tp_die "PostgreSQL did not start (log: $logdir/postgres.log)"
      }
  fi
}

# Roles, database and schema rights; every statement is idempotent. SQL goes through stdin so
# passwords never show up in argv.
_tp_pg_provision() {
  _tp_psql_super <<SQL || tp_die "provisioning roles/database on $_TPV_TP_PG_HOST:$_TPV_TP_PG_PORT failed"
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY['trust_owner', 'trust_app', 'trust_dispatcher']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE trust_owner LOGIN CREATEDB BYPASSRLS NOSUPERUSER NOCREATEROLE
  PASSWORD '$_TPV_TP_PG_OWNER_PASSWORD';
ALTER ROLE trust_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT
  PASSWORD '$_TPV_TP_PG_APP_PASSWORD';
-- The outbox dispatcher's login: owns nothing and gets no table rights; the platform migrations grant it
-- EXECUTE on the outbox claim/mark/purge functions only (and take that EXECUTE away from the app role).
ALTER ROLE trust_dispatcher LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT
  PASSWORD '$_TPV_TP_PG_DISPATCHER_PASSWORD';
-- The owner drops test and benchmark databases WITH (FORCE), which terminates the sessions still attached;
-- PostgreSQL lets it end only sessions of roles it is a member of. The app and dispatcher roles' rights are
-- a subset of the owner's (it owns every object), so the memberships add nothing else.
GRANT trust_app TO trust_owner;
GRANT trust_dispatcher TO trust_owner;
SELECT 'CREATE DATABASE $TP_PG_DB OWNER trust_owner'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$TP_PG_DB') \gexec
\connect $TP_PG_DB
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
}

_tp_pg_down() {
  local data=$TP_PG_DIR/data
  if [[ -s $data/PG_VERSION ]] && _tp_as_pg "$TP_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    tp_log "stopping PostgreSQL"
    _tp_as_pg "$TP_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 -s stop || tp_die "pg_ctl stop failed"
  else
    tp_log "PostgreSQL is not running"
  fi
}

# ---------------------------------------------------------------- RabbitMQ

# Environment of the local node; the CLI wrapper uses the same HOME (cookie) and env file.
_tp_rmq_env() {
  _TP_RMQ_ENV=(
    "HOME=$TP_RMQ_DIR/home"
    "LC_ALL=C.UTF-8"
    "RABBITMQ_CONF_ENV_FILE=$TP_RMQ_DIR/rabbitmq-env.conf"
    "RABBITMQ_NODENAME=$TP_RMQ_NODE"
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
    "RABBITMQ_NODE_PORT=$_TPV_TP_RABBITMQ_PORT"
    # Default would be NODE_PORT+20000 = 76720, which is not a valid port.
    "RABBITMQ_DIST_PORT=${TP_RABBITMQ_DIST_PORT:-$((_TPV_TP_RABBITMQ_PORT + 1))}"
    # Erlang distribution on loopback only (AMQP is set to 127.0.0.1 above).
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_MNESIA_BASE=$TP_RMQ_DIR/mnesia"
    "RABBITMQ_LOG_BASE=$TP_RMQ_DIR/log"
    "RABBITMQ_CONFIG_FILE=$TP_RMQ_DIR/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$TP_RMQ_DIR/advanced.config"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$TP_RMQ_DIR/enabled_plugins"
    "RABBITMQ_PID_FILE=$TP_RMQ_DIR/tp.pid"
  )
}

_tp_rmq_ctl() {
  _tp_nolock "$TP_RMQ_DIR/rabbitmqctl" "$@"
}

# Writes the node's private files (cookie, config, ctl wrapper); idempotent.
_tp_rmq_prepare() {
  local home=$TP_RMQ_DIR/home
  mkdir -p "$TP_RMQ_DIR/mnesia" "$TP_RMQ_DIR/log" "$home"
  chmod 700 "$TP_RMQ_DIR" "$home"
  if [[ ! -s $home/.erlang.cookie ]]; then
    # Same cookie as Debian's rabbitmq user, so the stock `rabbitmqctl -n tp@localhost` (which
    # su's to rabbitmq) reaches this node too; a private random one if the package has none.
    if [[ -s /var/lib/rabbitmq/.erlang.cookie ]]; then
      (umask 077 && cat /var/lib/rabbitmq/.erlang.cookie >"$home/.erlang.cookie")
    else
      (umask 077 && _tp_rand | tr 'a-f' 'A-F' >"$home/.erlang.cookie")
    fi
  fi
  chmod 400 "$home/.erlang.cookie"
  # Empty env file and plugin list: ignore /etc/rabbitmq (shared with the default node).
  : >"$TP_RMQ_DIR/rabbitmq-env.conf"
  echo '[].' >"$TP_RMQ_DIR/enabled_plugins"
  printf '%s\n' '# written by deploy/local/servers.sh' 'log.console = false' 'log.file.level = info' \
    >"$TP_RMQ_DIR/rabbitmq.conf"
  {
    echo '#!/bin/sh'
    echo "# rabbitmqctl for the local $TP_RMQ_NODE node (its cookie is in $home)."
    printf 'export HOME=%q LC_ALL=C.UTF-8 RABBITMQ_CONF_ENV_FILE=%q\n' "$home" "$TP_RMQ_DIR/rabbitmq-env.conf"
    printf 'exec %q -n %q "$@"\n' "$TP_RMQ_LIB/rabbitmqctl" "$TP_RMQ_NODE"
  } >"$TP_RMQ_DIR/rabbitmqctl.tmp"
  chmod 755 "$TP_RMQ_DIR/rabbitmqctl.tmp"
  mv -f "$TP_RMQ_DIR/rabbitmqctl.tmp" "$TP_RMQ_DIR/rabbitmqctl"
}

_tp_rmq_fail() {
  local f
  for f in "$TP_RMQ_DIR/log/startup.log" "$TP_RMQ_DIR/log/$TP_RMQ_NODE.log"; do
    [[ -s $f ]] && { echo "--- tail $f" && tail -n 25 "$f"; } >&2
  done
  tp_die "$*"
}

_tp_rmq_up() {
  local deadline port=$_TPV_TP_RABBITMQ_PORT
  if [[ ! -x $TP_RMQ_LIB/rabbitmq-server ]]; then
    _tp_apt_install rabbitmq-server
    [[ -x $TP_RMQ_LIB/rabbitmq-server ]] || tp_die "rabbitmq-server still missing in $TP_RMQ_LIB"
  fi
  _tp_state_dir
  _tp_rmq_prepare
  _tp_rmq_env

  # Ours = started from this .tp (cwd) and still on the wanted port; any other node with the
  # same name (other checkout, deleted .tp, old port) is stopped.
  local p mine='' others=()
  for p in $(_tp_rmq_node_pids); do
    if [[ -z $mine && $(readlink "/proc/$p/cwd") == "$TP_RMQ_DIR" ]] &&
      _tp_proc_has "$p" environ "RABBITMQ_NODE_PORT=$port"; then
      mine=$p
    else
      others+=("$p")
    fi
  done
  _tp_stop_pids TERM "RabbitMQ $TP_RMQ_NODE" "${others[@]}"

  # start_app succeeds (no-op) on a running node and also revives one left by `stop_app`;
  # await_startup covers a node still booting.
  if [[ -n $mine ]] && { _tp_rmq_ctl -q start_app >/dev/null 2>&1 ||
    { _tp_rmq_ctl -q await_startup --timeout 30 >/dev/null 2>&1 &&
      _tp_rmq_ctl -q start_app >/dev/null 2>&1; }; }; then
    tp_log "RabbitMQ $TP_RMQ_NODE already running on 127.0.0.1:$port"
  else
    [[ -z $mine ]] || _tp_stop_pids TERM "RabbitMQ $TP_RMQ_NODE (not answering)" "$mine"
    _tp_port_open 127.0.0.1 "$port" &&
      tp_die "port $port is already used by another program (set TP_RABBITMQ_PORT)"
    tp_log "starting RabbitMQ $TP_RMQ_NODE on 127.0.0.1:$port"
    (cd "$TP_RMQ_DIR" && _tp_nolock env "${_TP_RMQ_ENV[@]}" "$TP_RMQ_LIB/rabbitmq-server" -detached) \
      >>"$TP_RMQ_DIR/log/startup.log" 2>&1 || _tp_rmq_fail "rabbitmq-server -detached failed"
    # The node needs a few seconds to register with epmd; await_startup then blocks until booted.
    deadline=$((SECONDS + 60))
    until _tp_rmq_ctl -q await_startup --timeout 10 >/dev/null 2>&1; do
      ((SECONDS < deadline)) || _tp_rmq_fail "RabbitMQ $TP_RMQ_NODE did not start within 60 s"
      sleep 1
    done
  fi
  deadline=$((SECONDS + 30))
  until _tp_port_open 127.0.0.1 "$port"; do
    ((SECONDS < deadline)) || _tp_rmq_fail "RabbitMQ runs but AMQP port $port is not listening"
    sleep 0.2
  done
}

_tp_rmq_provision() {
  local user=$_TPV_TP_RABBITMQ_USER pw=$_TPV_TP_RABBITMQ_PASSWORD vhost=$_TPV_TP_RABBITMQ_VHOST
  if ! _tp_rmq_ctl -q authenticate_user "$user" "$pw" >/dev/null 2>&1; then
    if _tp_rmq_ctl -q list_users | awk '{print $1}' | grep -qx "$user"; then
      _tp_rmq_ctl -q change_password "$user" "$pw" >/dev/null || tp_die "rabbitmqctl change_password failed"
    else
      _tp_rmq_ctl -q add_user "$user" "$pw" >/dev/null || tp_die "rabbitmqctl add_user failed"
    fi
  fi
  _tp_rmq_ctl -q set_user_tags "$user" administrator >/dev/null || tp_die "rabbitmqctl set_user_tags failed"
  if ! _tp_rmq_ctl -q list_vhosts | grep -qx -- "$vhost"; then
    _tp_rmq_ctl -q add_vhost "$vhost" >/dev/null || tp_die "rabbitmqctl add_vhost failed"
  fi
  _tp_rmq_ctl -q set_permissions -p "$vhost" "$user" '.*' '.*' '.*' >/dev/null ||
    tp_die "rabbitmqctl set_permissions failed"
  _tp_rmq_provision_services
}

# ---------------------------------------------------------------- broker users per service

# The events each service publishes (its outbox's message types) and consumes (its consumers), from
# libs/Trust.Platform.Contracts. MassTransit names an event's exchange Trust.Platform.Contracts:<Type>;
# a service's own queues and exchanges (its receive endpoints, their _error and _skipped queues, its
# temporary bus queue) all start with "<service>-" (MessagingExtensions' endpoint names). A service
# that starts publishing or consuming another event must be added here: the broker refuses it otherwise
# (every test vhost gets these users, so the service's suite fails first). NotificationRequested is a request, not an
# event one service owns: the services that decide who may know send it, and Policy (which holds the addresses) reads it.
TP_SERVICES=(policy accounts incidents training)
declare -gA TP_RMQ_PUBLISHES=(
  [policy]="SchoolAdded SchoolUpdated ApiKeyIssued ApiKeyRevoked PolicyPublished PolicyReviewDue
    MemberChanged AppointmentStarted AppointmentEnded MemberLeft"
  [accounts]="AccountApproved AccountHandoverRequired AccountClosed AccountReviewDue PostSubmitted PostDecided NotificationRequested"
  [incidents]="IncidentReported IncidentEscalated IncidentClosed NotificationRequested"
  [training]="StaffJoined StaffLeft StaffRoleChanged TrainingCompleted TrainingExpired PolicyAcknowledged NotificationRequested"
)
# Every service (Policy too) keeps a replica of members and appointments to resolve a signed-in member's roles.
_TP_RMQ_PEOPLE="MemberChanged AppointmentStarted AppointmentEnded"
declare -gA TP_RMQ_CONSUMES=(
  [policy]="PolicyPublished PolicyReviewDue IncidentReported IncidentEscalated IncidentClosed AccountApproved
    AccountHandoverRequired AccountClosed TrainingCompleted TrainingExpired PolicyAcknowledged NotificationRequested
    StaffLeft $_TP_RMQ_PEOPLE"
  [accounts]="SchoolAdded SchoolUpdated ApiKeyIssued ApiKeyRevoked PolicyPublished StaffJoined StaffLeft
    StaffRoleChanged TrainingCompleted TrainingExpired PolicyAcknowledged $_TP_RMQ_PEOPLE"
  [incidents]="SchoolAdded SchoolUpdated ApiKeyIssued ApiKeyRevoked PolicyPublished StaffJoined StaffLeft StaffRoleChanged
    $_TP_RMQ_PEOPLE"
  [training]="SchoolAdded SchoolUpdated ApiKeyIssued ApiKeyRevoked PolicyPublished AccountApproved IncidentClosed $_TP_RMQ_PEOPLE"
)

# Event types -> the regex of their exchanges; nothing for none.
_tp_rmq_event_exchanges() {
  (($#)) || return 0
  local IFS='|'
  printf 'Trust\\.Platform\\.Contracts:(%s)' "$*"
}

# The non-empty arguments as one anchored alternation (RabbitMQ's regexes match anywhere otherwise).
_tp_rmq_anchored() {
  local parts=() part
  for part in "$@"; do
    [[ -z $part ]] || parts+=("$part")
  done
  local IFS='|'
  printf '^(%s)$' "${parts[*]}"
}

# Prints the configure, write and read regexes (tab-separated) of service $1 on the vhost. RabbitMQ asks
# for configure to declare or delete a queue or exchange, write to publish to an exchange or bind to a
# queue, read to consume or purge a queue or bind from an exchange. So a service declares, binds and
# consumes its own queues and exchanges; it declares the exchanges of the events it publishes or
# consumes; it may publish only the events it owns (no forged SchoolAdded from Training) and bind its
# queues only to the events it consumes (no reading another service's events or queues).
tp_rabbitmq_permissions() {
  local svc=$1 own published consumed
  [[ -v "TP_RMQ_PUBLISHES[$svc]" ]] || tp_die "unknown service '$svc' (one of ${TP_SERVICES[*]})"
  own="$svc-.*"
  # shellcheck disable=SC2086 # the lists are split into event names on purpose
  published=$(_tp_rmq_event_exchanges ${TP_RMQ_PUBLISHES[$svc]})
  # shellcheck disable=SC2086
  consumed=$(_tp_rmq_event_exchanges ${TP_RMQ_CONSUMES[$svc]})
  printf '%s\t%s\t%s\n' "$(_tp_rmq_anchored "$own" "$published" "$consumed")" \
    "$(_tp_rmq_anchored "$own" "$published")" "$(_tp_rmq_anchored "$own" "$consumed")"
}

# Prints "<user>\t<password>" of service $1's broker user: trust-<service> with a random password in
# .tp/secrets.env, or the TP_RABBITMQ_<SERVICE>_USER/_PASSWORD of an external broker.
tp_rabbitmq_credentials() {
  local svc=$1 upper=${1^^} user_var password_var
  [[ -v "TP_RMQ_PUBLISHES[$svc]" ]] || tp_die "unknown service '$svc' (one of ${TP_SERVICES[*]})"
  if [[ ${TP_RABBITMQ_EXTERNAL:-0} == 1 ]]; then
    user_var="TP_RABBITMQ_${upper}_USER"
    password_var="TP_RABBITMQ_${upper}_PASSWORD"
    [[ -n ${!user_var:-} && -n ${!password_var:-} ]] ||
      tp_die "TP_RABBITMQ_EXTERNAL=1: set $user_var and $password_var (a broker user of its own for $svc)"
    printf '%s\t%s\n' "${!user_var}" "${!password_var}"
  else
    printf '%s\t%s\n' "trust-$svc" "$(_tp_secret "TP_RABBITMQ_${upper}_PASSWORD")"
  fi
}

_tp_json_string() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# One user per service with its rights on the vhost, imported in one call from stdin (passwords never
# appear in a command line); then the broker's default `guest` (administrator, password guest) goes.
_tp_rmq_provision_services() {
  local vhost=$_TPV_TP_RABBITMQ_VHOST svc user password configure write read users='' permissions='' sep=''
  for svc in "${TP_SERVICES[@]}"; do
    IFS=$'\t' read -r user password < <(tp_rabbitmq_credentials "$svc")
    IFS=$'\t' read -r configure write read < <(tp_rabbitmq_permissions "$svc")
    users+="$sep{\"name\":$(_tp_json_string "$user"),\"password\":$(_tp_json_string "$password"),\"tags\":\"\"}"
    permissions+="$sep{\"user\":$(_tp_json_string "$user"),\"vhost\":$(_tp_json_string "$vhost"),"
    permissions+="\"configure\":$(_tp_json_string "$configure"),\"write\":$(_tp_json_string "$write"),\"read\":$(_tp_json_string "$read")}"
    sep=,
  done
  printf '{"users":[%s],"permissions":[%s]}\n' "$users" "$permissions" | _tp_rmq_ctl -q import_definitions >/dev/null ||
    tp_die "rabbitmqctl import_definitions (service users) failed"
  if _tp_rmq_ctl -q list_users | awk '{print $1}' | grep -qx guest; then
    _tp_rmq_ctl -q delete_user guest >/dev/null || tp_die "rabbitmqctl delete_user guest failed"
    tp_log "deleted RabbitMQ's default guest user"
  fi
}

_tp_rmq_down() {
  local p mine=''
  for p in $(_tp_rmq_node_pids); do # only the node started from this .tp, not another checkout's
    [[ $(readlink "/proc/$p/cwd") == "$TP_RMQ_DIR" ]] && mine=$p
  done
  if [[ -n $mine && -x $TP_RMQ_DIR/rabbitmqctl ]] && _tp_rmq_ctl -q ping >/dev/null 2>&1; then
    tp_log "stopping RabbitMQ $TP_RMQ_NODE"
    # shutdown = stop, but waits until the Erlang VM has exited.
    _tp_rmq_ctl -q shutdown >/dev/null || tp_die "rabbitmqctl shutdown failed"
  else
    tp_log "RabbitMQ $TP_RMQ_NODE is not running"
  fi
}

# ---------------------------------------------------------------- SMTP (OpenSMTPD)

# smtpd processes, with the config file each was started with ("-" when none was given).
_tp_smtpd_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == smtpd ]] || continue
    # Only the parent: its children re-exec as "smtpd: <process name>" and share its cmdline options.
    [[ $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) == /usr/sbin/smtpd* ]] || continue
    [[ $(cat "/proc/$(awk '{print $4}' "/proc/$p/stat")/comm" 2>/dev/null) == smtpd ]] && continue
    echo "$p $(tr '\0' '\n' <"/proc/$p/cmdline" | sed -n '/^-f$/{n;p;q}')"
  done
  return 0
}

_tp_smtp_up() {
  local conf=$TP_SMTP_DIR/smtpd.conf pid cf mine=''
  if [[ ! -x /usr/sbin/smtpd ]]; then
    _tp_apt_install opensmtpd
    [[ -x /usr/sbin/smtpd ]] || tp_die "OpenSMTPD still missing (/usr/sbin/smtpd)"
  fi
  [[ $EUID -eq 0 ]] || tp_die "the local SMTP server (OpenSMTPD) needs root"
  mkdir -p "$TP_SMTP_DIR"
  # Deliveries run as nobody (OpenSMTPD never delivers as root): the Maildirs must be theirs.
  install -d -o nobody -m 755 "$TP_SMTP_MAIL"
  {
    echo "# written by deploy/local/servers.sh on every 'up': accept any recipient on loopback and keep"
    echo "# the message in a Maildir per address; nothing is ever relayed."
    echo "table catchall { \"@\" = \"nobody\" }"
    echo "listen on 127.0.0.1 port $_TPV_TP_SMTP_PORT"
    echo "action \"keep\" maildir \"$TP_SMTP_MAIL/%{rcpt:lowercase}\" virtual <catchall>"
    echo "match from any for any action \"keep\""
  } >"$conf.new"
  if [[ -f $conf ]] && cmp -s "$conf" "$conf.new"; then rm -f "$conf.new"; else mv "$conf.new" "$conf"; fi
  /usr/sbin/smtpd -n -f "$conf" >/dev/null 2>&1 || tp_die "OpenSMTPD refused $conf ($(/usr/sbin/smtpd -n -f "$conf" 2>&1 | head -n 3))"
  # One OpenSMTPD per machine (its queue and control socket are fixed paths): another checkout's, the
  # distribution's own or ours with an older config is stopped.
  while read -r pid cf; do
    [[ -n $pid ]] || continue
    if [[ $cf == "$conf" && -z $mine && $conf -ot /proc/$pid ]]; then mine=$pid; else _tp_stop_pids TERM "OpenSMTPD" "$pid"; fi
  done < <(_tp_smtpd_pids)
  if [[ -n $mine ]]; then
    tp_log "SMTP (OpenSMTPD) already running on 127.0.0.1:$_TPV_TP_SMTP_PORT"
    return 0
  fi
  _tp_port_open 127.0.0.1 "$_TPV_TP_SMTP_PORT" &&
    tp_die "port $_TPV_TP_SMTP_PORT is already used by another program (set TP_SMTP_PORT)"
  tp_log "starting SMTP (OpenSMTPD) on 127.0.0.1:$_TPV_TP_SMTP_PORT, mail kept in $TP_SMTP_MAIL"
  _tp_nolock /usr/sbin/smtpd -f "$conf" >"$TP_SMTP_DIR/smtpd.log" 2>&1 || tp_die "OpenSMTPD did not start ($TP_SMTP_DIR/smtpd.log)"
  local deadline=$((SECONDS + 15))
  until _tp_port_open 127.0.0.1 "$_TPV_TP_SMTP_PORT"; do
    ((SECONDS < deadline)) || tp_die "OpenSMTPD is not listening on 127.0.0.1:$_TPV_TP_SMTP_PORT after 15 s"
    sleep 0.2
  done
}

_tp_smtp_down() {
  local pid cf conf=$TP_SMTP_DIR/smtpd.conf stopped=0
  while read -r pid cf; do
    [[ -n $pid && $cf == "$conf" ]] || continue
    tp_log "stopping SMTP (OpenSMTPD)"
    kill -TERM "$pid" 2>/dev/null || true
    stopped=1
  done < <(_tp_smtpd_pids)
  ((stopped)) || tp_log "SMTP (OpenSMTPD) is not running"
}

# ---------------------------------------------------------------- public API

tp_servers_up() {
  _tp_state_dir
  # Serialise concurrent `up`s (e.g. run.sh and test.sh started together).
  exec {_TP_LOCK_FD}>"$TP_STATE/up.lock"
  flock -w 600 "$_TP_LOCK_FD" || tp_die "timed out waiting for another 'servers.sh up'"
  _tp_resolve
  if [[ ${TP_PG_EXTERNAL:-0} != 1 ]]; then
    _tp_pg_up
  fi
  _tp_pg_provision
  tp_log "PostgreSQL ready: $_TPV_TP_PG_HOST:$_TPV_TP_PG_PORT database $TP_PG_DB"
  if [[ ${TP_RABBITMQ_EXTERNAL:-0} == 1 ]]; then
    _tp_port_open "$_TPV_TP_RABBITMQ_HOST" "$_TPV_TP_RABBITMQ_PORT" ||
      tp_die "external RabbitMQ $_TPV_TP_RABBITMQ_HOST:$_TPV_TP_RABBITMQ_PORT is not reachable"
  else
    _tp_rmq_up
    _tp_rmq_provision
  fi
  tp_log "RabbitMQ ready: $_TPV_TP_RABBITMQ_HOST:$_TPV_TP_RABBITMQ_PORT vhost $_TPV_TP_RABBITMQ_VHOST"
  if [[ ${TP_SMTP_EXTERNAL:-0} == 1 ]]; then
    _tp_port_open "$_TPV_TP_SMTP_HOST" "$_TPV_TP_SMTP_PORT" ||
      tp_die "external SMTP relay $_TPV_TP_SMTP_HOST:$_TPV_TP_SMTP_PORT is not reachable"
  else
    _tp_smtp_up
  fi
  tp_log "SMTP ready: $_TPV_TP_SMTP_HOST:$_TPV_TP_SMTP_PORT"
  exec {_TP_LOCK_FD}>&-
  unset _TP_LOCK_FD
}

tp_servers_down() {
  _tp_resolve
  [[ ${TP_PG_EXTERNAL:-0} == 1 ]] || _tp_pg_down
  [[ ${TP_RABBITMQ_EXTERNAL:-0} == 1 ]] || _tp_rmq_down
  [[ ${TP_SMTP_EXTERNAL:-0} == 1 ]] || _tp_smtp_down
}

tp_servers_status() {
  local rc=0
  _tp_resolve
  if _tp_port_open "$_TPV_TP_PG_HOST" "$_TPV_TP_PG_PORT"; then
    echo "postgresql: up ($_TPV_TP_PG_HOST:$_TPV_TP_PG_PORT)"
  else
    echo "postgresql: down"
    rc=1
  fi
  if _tp_port_open "$_TPV_TP_RABBITMQ_HOST" "$_TPV_TP_RABBITMQ_PORT"; then
    echo "rabbitmq:   up ($_TPV_TP_RABBITMQ_HOST:$_TPV_TP_RABBITMQ_PORT)"
  else
    echo "rabbitmq:   down"
    rc=1
  fi
  if _tp_port_open "$_TPV_TP_SMTP_HOST" "$_TPV_TP_SMTP_PORT"; then
    echo "smtp:       up ($_TPV_TP_SMTP_HOST:$_TPV_TP_SMTP_PORT)"
  else
    echo "smtp:       down"
    rc=1
  fi
  return "$rc"
}

# Prints `export NAME=value` lines (values shell-quoted).
tp_servers_env() {
  local n v
  _tp_resolve
  for n in "${_TP_ENV_NAMES[@]}"; do
    v="_TPV_$n"
    printf 'export %s=%q\n' "$n" "${!v}"
  done
}

# Exports the same variables into the calling shell.
tp_servers_export() {
  local n v
  _tp_resolve
  for n in "${_TP_ENV_NAMES[@]}"; do
    v="_TPV_$n"
    export "$n=${!v}"
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
    up) tp_servers_up ;;
    down) tp_servers_down ;;
    env) tp_servers_env ;;
    status) tp_servers_status ;;
    rabbitmq-permissions)
      for svc in "${TP_SERVICES[@]}"; do
        printf '%s\t' "$svc"
        tp_rabbitmq_permissions "$svc"
      done
      ;;
    *)
      echo "usage: $0 up|down|env|status|rabbitmq-permissions" >&2
      exit 2
      ;;
  esac
fi
