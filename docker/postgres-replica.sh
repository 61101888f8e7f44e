#!/bin/sh
# A hot standby of pg-primary: cloned once with pg_basebackup (-R writes standby.signal and
# primary_conninfo; -C -S keeps the WAL it needs in a replication slot), then streaming.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h pg-primary -U postgres; do sleep 1; done
  PGPASSWORD="${REPLICATION_PASSWORD:-replicator}" pg_basebackup -h pg-primary -U replicator -D "$PGDATA" -R -X stream -C -S "${REPLICA_SLOT:-replica1}" \
    || PGPASSWORD="${REPLICATION_PASSWORD:-replicator}" pg_basebackup -h pg-primary -U replicator -D "$PGDATA" -R -X stream -S "${REPLICA_SLOT:-replica1}"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
fi
exec gosu postgres postgres -c hot_standby=on -c max_connections=300
