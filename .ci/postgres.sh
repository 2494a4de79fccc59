# Sourced by .ci/run and scripts that need the machine's PostgreSQL 15.
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}

# Starts the local cluster when it is down. Under CI=true a PostgreSQL that
# cannot be had is a failure, never a skip.
ensure_postgres() {
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then return 0; fi
  echo "PostgreSQL is not answering on $PG_HOST:$PG_PORT; starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null && return 0
    sleep 1
  done
  echo "PostgreSQL could not be started on $PG_HOST:$PG_PORT" >&2
  return 1
}

# Drops and recreates database $1; prints its URL.
fresh_database() {
  local name=$1
  psql -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "drop database if exists $name with (force)" -c "create database $name" >&2
  echo "postgres://postgres@$PG_HOST:$PG_PORT/$name"
}
