#!/usr/bin/env bash
# docs/DEPLOYMENT.md, tried: the installed binary as two nodes over one PostgreSQL database, behind nginx configured
# from the guide's own examples (TLS termination, the redirect from port 80, the upstream of two nodes), checked
# through nginx as a reader's browser and a CDN would see it. Run inside pg_virtualenv (make test-deploy), or with
# SHPALTA_TEST_POSTGRES naming a server where it may create and drop a database.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
pids=()
database=""
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ -n "$database" ]; then psql -q -d "$admin_url" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "deploy test: $*" >&2
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -15 "$log" >&2; }; done
    exit 1
}
. tests/lib.sh

if [ -n "${SHPALTA_TEST_POSTGRES:-}" ]; then
    admin_url=$SHPALTA_TEST_POSTGRES
elif [ -n "${PGHOST:-}" ]; then
    admin_url="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"
else
    fail "no PostgreSQL: run it as make test-deploy (pg_virtualenv), or set SHPALTA_TEST_POSTGRES"
fi
database="deploy_$$"
psql -q -d "$admin_url" -c "CREATE DATABASE $database" >/dev/null || fail "cannot create a database on $admin_url"
db_url="${admin_url%/*}/$database"

make --no-print-directory install PREFIX="$work/prefix" CONFIG=debug >"$work/install.log" 2>&1 || fail "make install failed"
shpalta="$work/prefix/bin/shpalta"

port() { echo $((20000 + RANDOM % 9000)); }
a=$(port); b=$(port); https=$(port); http=$(port)
# The settings file the guide describes, one SHPALTA_…=value a line, shared by both nodes.
cat >"$work/shpalta.env" <<ENV
SHPALTA_BASE_URL=https://gazeta.example:$https
SHPALTA_SITE_NAME=Газета
SHPALTA_TRUSTED_PROXIES=127.0.0.1
SHPALTA_DATABASE=$db_url
SHPALTA_MEDIA_DIR=$work/media
ENV
start() { # name port [serve options]: a node started from an empty folder with the settings file, as the unit does
    local name=$1 port=$2; shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && set -a && . "$work/shpalta.env" && set +a && SHPALTA_NODE_ID=$name \
        exec "$shpalta" serve --port "$port" "$@") >"$work/$name.log" 2>&1 &
    pids+=($!)
    wait_serving "$work/$name.log" "${pids[-1]}" "node $name"
}
start a "$a" --demo
start b "$b"
pid_a=${pids[0]}

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=gazeta.example" -keyout "$work/key.pem" \
    -out "$work/cert.pem" >"$work/openssl.log" 2>&1 || fail "openssl could not make a certificate"
mkdir -p "$work"/tmp-{body,proxy,fastcgi,uwsgi,scgi}
python3 tests/deploy/nginx_from_docs.py docs/DEPLOYMENT.md "$work" "$https" "$http" "127.0.0.1:$a" "127.0.0.1:$b" \
    || fail "the guide's nginx examples could not be used"
nginx -t -c "$work/nginx.conf" >"$work/nginx-check.log" 2>&1 || fail "nginx refuses the guide's configuration"
nginx -c "$work/nginx.conf" >"$work/nginx.log" 2>&1 &
pids+=($!)
site="https://gazeta.example:$https"
get() { curl -sk --resolve "gazeta.example:$https:127.0.0.1" --resolve "gazeta.example:$http:127.0.0.1" "$@"; }
for _ in $(seq 1 100); do get -o /dev/null "$site/healthz" && break; sleep 0.1; done

# A reader over TLS: the demo's home page and an article, gzipped, with an id nginx gave the request.
headers=$(get -D - -o "$work/home.html" --compressed "$site/")
grep -q "^HTTP/2 200" <<<"$headers" || fail "the home page over TLS: $(echo "$headers" | head -1)"
grep -q 'lang="uk"' "$work/home.html" || fail "the home page is not the demo's"
grep -qi "^content-encoding: gzip" <<<"$headers" || fail "the home page was not gzipped"
grep -Eqi "^x-request-id: [0-9a-f]{32}" <<<"$headers" || fail "nginx's \$request_id did not come back as X-Request-Id"
article=$(grep -o 'href="/news/[a-z0-9-]*"' "$work/home.html" | cut -d'"' -f2 | sed -n 1p)
[ -n "$article" ] || fail "no article linked from the home page"
headers=$(get -D - -o /dev/null "$site$article")
grep -q "^HTTP/2 200" <<<"$headers" || fail "$article answered $(echo "$headers" | head -1)"
# What a CDN needs: shared caching allowed, and surrogate keys to purge by.
grep -qi "^cache-control: public" <<<"$headers" || fail "$article is not cacheable by a CDN"
grep -Eqi "^surrogate-key: .*article-[0-9]+" <<<"$headers" || fail "$article names no surrogate key"
# Port 80 sends readers to HTTPS; /metrics is not for the world.
location=$(get -o /dev/null -w '%{http_code} %{redirect_url}' "http://gazeta.example:$http/news?x=1")
[ "$location" = "301 https://gazeta.example/news?x=1" ] || fail "port 80 answered $location"
[ "$(get -o /dev/null -w '%{http_code}' "$site/metrics")" = 404 ] || fail "/metrics is reachable through nginx"
# Both nodes are ready (what a load balancer's health check asks), then node A stops, as `systemctl stop` does:
# nginx sends every reader to node B, and nobody sees an error.
for node in "$a" "$b"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$node/readyz")" = 200 ] || fail "node on $node is not ready"
done
kill -TERM "$pid_a"
wait "$pid_a" || fail "node a did not exit 0 on SIGTERM"
pids=("${pids[@]:1}")
for _ in $(seq 1 20); do
    code=$(get -o /dev/null -w '%{http_code}' "$site/news")
    [ "$code" = 200 ] || fail "/news answered $code with one node down"
done
code=$(get -o /dev/null -w '%{http_code}' "$site$article")
[ "$code" = 200 ] || fail "$article answered $code with one node down"
echo "deploy test: two installed nodes over one PostgreSQL behind nginx as docs/DEPLOYMENT.md configures it"
