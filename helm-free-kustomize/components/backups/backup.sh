#!/bin/sh
# One dump of the database the PG* variables name into $BACKUP_DIR, then only
# the newest $KEEP_DUMPS dumps are kept. pg_dump's custom format: compressed,
# restored with pg_restore (README "Back up and restore"). The dump is written
# under a temporary name and renamed, so a failed run never leaves a partial
# dump that would count as one of the kept ones.
set -eu
: "${BACKUP_DIR:?BACKUP_DIR must name the directory for the dumps}"
: "${KEEP_DUMPS:?KEEP_DUMPS must say how many dumps to keep}"
stamp=$(date -u +%Y%m%dT%H%M%S.%NZ)
dump="$BACKUP_DIR/passenger-$stamp.dump"
pg_dump --format=custom --file="$dump.partial"
mv "$dump.partial" "$dump"
echo "wrote $dump ($(wc -c <"$dump") bytes)"
ls -1 "$BACKUP_DIR"/passenger-*.dump | sort | head -n "-$KEEP_DUMPS" | while read -r old; do
  rm -f -- "$old"
  echo "removed $old"
done
