#!/bin/sh
# One dump of the service's database into $BACKUP_DIR, then only the newest
# $KEEP_DUMPS dumps are kept. pg_dump's custom format: compressed, restored
# with pg_restore (docs/operations.md "Back up and restore"). The database is the one the
# service would use, by its rules: DATABASE_URL if set, else the PG* variables;
# with neither the script refuses (libpq's defaults would name another
# database). The dump is written under a temporary name, checked to hold the
# passenger table with at least the rows the table had, and only then renamed,
# so a failed or empty run never leaves a dump that would count as a kept one.
set -eu
: "${BACKUP_DIR:?BACKUP_DIR must name the directory for the dumps}"
: "${KEEP_DUMPS:?KEEP_DUMPS must say how many dumps to keep}"
if [ -n "${DATABASE_URL:-}" ]; then
  target="DATABASE_URL"
  set -- "$DATABASE_URL"
elif [ -n "${PGHOST:-}${PGHOSTADDR:-}${PGPORT:-}${PGDATABASE:-}${PGUSER:-}${PGPASSWORD:-}" ]; then
  target="the PG* variables (PGHOST=${PGHOST:-} PGDATABASE=${PGDATABASE:-} PGUSER=${PGUSER:-})"
  set --
else
  echo "backup.sh: set DATABASE_URL or the PG* variables to the service's database; refusing to dump libpq's default database" >&2
  exit 1
fi
fail() {
  rm -f -- "$dump.partial"
  echo "backup.sh: $*" >&2
  exit 1
}
stamp=$(date -u +%Y%m%dT%H%M%S.%NZ)
dump="$BACKUP_DIR/passenger-$stamp.dump"
# Rows are only ever added or removed by the service; the dump must hold at least those counted first.
rows=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -c 'select count(*) from passenger' "$@" 2>/dev/null) ||
  fail "the database at $target has no passenger table: not the service's database"
pg_dump --format=custom --file="$dump.partial" "$@"
dumped=$(pg_restore --data-only --table=passenger --file=- "$dump.partial" |
  awk '/^COPY .*passenger/ { copying = 1; next } copying && /^\\\.$/ { copying = 0 } copying { n++ } END { print n + 0 }')
pg_restore --list "$dump.partial" | grep -q ' TABLE public passenger ' ||
  fail "the dump of $target holds no passenger table"
[ "$dumped" -ge "$rows" ] || fail "the dump of $target holds $dumped passenger rows, the table had $rows"
mv "$dump.partial" "$dump"
echo "wrote $dump ($(wc -c <"$dump") bytes, $dumped passenger rows)"
ls -1 "$BACKUP_DIR"/passenger-*.dump | sort | head -n "-$KEEP_DUMPS" | while read -r old; do
  rm -f -- "$old"
  echo "removed $old"
done
