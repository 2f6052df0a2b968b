#!/usr/bin/env bash
# docs/DEPLOYMENT.md's read replica, tried: a node over a PostgreSQL primary and a streaming standby of it, made here
# with pg_basebackup. Readers' pages are read from the standby while it has replayed every change the node has taken
# in. With the standby's replay paused, a story published is on the node's pages at once all the same (read from the
# primary); with the standby stopped, pages are still served. Run inside pg_virtualenv (make test-replica).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
shpalta=${SHPALTA_BIN:-$root/.build/debug/shpalta}
[ -n "${PGHOST:-}" ] && [ -n "${PGPORT:-}" ] || { echo "replica test: run it inside pg_virtualenv (make test-replica)" >&2; exit 1; }
[ -x "$shpalta" ] || { echo "replica test: build shpalta first (swift build --product shpalta)" >&2; exit 1; }
pgbin=/usr/lib/postgresql/${PGVERSION:-15}/bin
work=$(mktemp -d)
chmod 755 "$work"
standby="$work/standby"
node_pid=""
database="replica_$$"
# The clusters run as the postgres account when this runs as root, as pg_virtualenv makes them.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    [ -n "$node_pid" ] && { kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; }
    [ -f "$standby/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$standby" -m immediate stop >/dev/null 2>&1 || true
    psql -q -h 127.0.0.1 -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "replica test: $*" >&2
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }; done
    exit 1
}
. tests/lib.sh
port() { echo $((20000 + RANDOM % 9000)); }
on_standby() { psql -h 127.0.0.1 -p "$standby_port" -v ON_ERROR_STOP=1 -Atq "$@"; }

psql -q -h 127.0.0.1 -d postgres -c "CREATE DATABASE $database" >/dev/null || fail "cannot create a database"

# The standby: a base backup of the primary that streams its log (-R), with settings of its own (Debian keeps a
# cluster's settings outside its data folder, so the backup has none).
standby_port=$(port)
install -d -m 700 "$standby"
[ "$(id -u)" = 0 ] && chown postgres: "$standby"
as_pg env PGPASSWORD="$PGPASSWORD" pg_basebackup -h 127.0.0.1 -p "$PGPORT" -U "$PGUSER" -D "$standby" -R -X stream -c fast \
    >"$work/basebackup.log" 2>&1 || fail "pg_basebackup failed"
cat >"$work/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $standby_port
unix_socket_directories = ''
max_connections = $(psql -h 127.0.0.1 -d postgres -Atc "SHOW max_connections")
hot_standby = on
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' >"$work/pg_hba.conf"
as_pg cp "$work/postgresql.conf" "$work/pg_hba.conf" "$standby/"
touch "$work/standby.log"
[ "$(id -u)" = 0 ] && chown postgres: "$work/standby.log"
as_pg "$pgbin/pg_ctl" -D "$standby" -l "$work/standby.log" -w start >/dev/null || fail "the standby did not start"
for _ in $(seq 1 100); do on_standby -d "$database" -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
[ "$(on_standby -d postgres -c "SELECT pg_is_in_recovery()")" = t ] || fail "the copy is not a standby"

primary_url="postgres://$PGUSER:$PGPASSWORD@127.0.0.1:$PGPORT/$database"
replica_url="postgres://$PGUSER:$PGPASSWORD@127.0.0.1:$standby_port/$database"
node_port=$(port)
node="http://127.0.0.1:$node_port"
(cd "$work" && exec "$shpalta" serve --port "$node_port" --database "$primary_url" --database-replica "$replica_url" \
    --media-dir "$work/media" --demo --demo-dir "$root/Demo" --theme-dir "$root/Themes/default") \
    >"$work/node.log" 2>&1 &
node_pid=$!
wait_serving "$work/node.log" "$node_pid" "the node"
grep -q "read from the replica" "$work/node.log" || fail "the node does not name its replica"

metric() { curl -s "$node/metrics" | awk -v name="shpalta_database_replica_$1" '$1 == name { print int($2) }'; }
status() { curl -s -o /dev/null -w '%{http_code}' "$node$1"; }
# Pages the node has not cached yet: each search is a new one.
searches=0
fresh_page() { searches=$((searches + 1)); status "/search?q=%D0%BB%D1%8C%D0%B2%D1%96%D0%B2+$searches"; }
wait_for() { # seconds condition...: true once the condition holds, within the time
    local limit=$1; shift
    for _ in $(seq 1 $((limit * 10))); do "$@" && return 0; sleep 0.1; done
    return 1
}
caught_up() { [ "$(metric behind_bytes)" = 0 ] && [ "$(metric up)" = 1 ]; }
# A new page read from the standby: a read the node sends to the primary instead (the standby behind again, or lost
# for a moment) does not count, and a later one may.
read_from_standby() {
    local before
    before=$(metric reads_total)
    [ "$(fresh_page)" = 200 ] && [ "$(metric reads_total)" -gt "$before" ]
}
replica_metrics() { curl -s "$node/metrics" | grep '^shpalta_database_replica' | tr '\n' ' '; }

# 1. Caught up: readers' pages come from the standby.
wait_for 10 caught_up || fail "the standby never caught up: $(curl -s "$node/metrics" | grep replica)"
before=$(metric reads_total)
for path in / /news; do [ "$(status "$path")" = 200 ] || fail "$path did not answer 200"; done
[ "$(fresh_page)" = 200 ] || fail "a search did not answer 200"
[ "$(metric reads_total)" -gt "$before" ] || wait_for 5 read_from_standby \
    || fail "no page was read from the standby: $(replica_metrics)"

# 2. The standby stops replaying: a story published now is on the node's pages at once, read from the primary.
"$shpalta" user add --database "$primary_url" --email e@example.com --name Редактор --role editor >"$work/user.log" 2>&1 \
    || fail "shpalta user add failed"
token=$("$shpalta" key token --database "$primary_url" --email e@example.com --name replica | sed -n 's/^Token: //p')
[ -n "$token" ] || fail "no Admin API token"
on_standby -d postgres -c "SELECT pg_wal_replay_pause()" >/dev/null
api() { curl -s -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d "$2" "$node$1"; }
created=$(api /api/v1/admin/articles '{"title":"Поки репліка стоїть","slug":"poky-replika-stoit","lede":"Абзац."}')
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["article"]["id"])' "$created") \
    || fail "the story was not created: $created"
api "/api/v1/admin/articles/$id/transition" '{"to":"published"}' >/dev/null
shown() { curl -s "$node/news" | grep -q "/news/poky-replika-stoit"; }
wait_for 2 shown || fail "the story published while the standby is paused is not on /news"
[ "$(status /news/poky-replika-stoit)" = 200 ] || fail "the story's page did not answer 200"
[ "$(on_standby -d "$database" -c "SELECT COUNT(*) FROM articles WHERE slug = 'poky-replika-stoit'")" = 0 ] \
    || fail "the paused standby has the story: nothing was tried"
[ "$(metric behind_bytes)" -gt 0 ] || fail "the node does not see the standby behind"
on_primary=$(metric reads_on_primary_total)
[ "$(fresh_page)" = 200 ] || fail "a search did not answer 200 while the standby is paused"
[ "$(metric reads_on_primary_total)" -gt "$on_primary" ] || fail "pages were read from the standby while it was behind"

# 3. Replaying again: the standby answers again.
on_standby -d postgres -c "SELECT pg_wal_replay_resume()" >/dev/null
wait_for 10 caught_up || fail "the standby did not catch up after its replay resumed"
wait_for 5 read_from_standby || fail "the standby is not read from after catching up: $(replica_metrics)"

# 4. The standby goes away: pages are read from the primary.
as_pg "$pgbin/pg_ctl" -D "$standby" -m immediate stop >/dev/null
for _ in 1 2 3; do [ "$(fresh_page)" = 200 ] || fail "a page did not answer 200 with the standby stopped"; done
[ "$(status /readyz)" = 200 ] || fail "/readyz is not 200 with the standby stopped"
standby_down() { [ "$(metric up)" = 0 ]; }
wait_for 5 standby_down || fail "the node does not see the standby gone"

kill -TERM "$node_pid"
wait "$node_pid" || fail "the node did not exit 0 on SIGTERM"
node_pid=""
echo "replica test: readers' pages from a streaming standby while it has caught up, from the primary when it is behind or gone"
