#!/usr/bin/env bash
# Shpalta benchmark: wrk against the real server on a generated corpus, and against nginx serving the
# same article page as a static file (the ceiling for "bytes out of a socket" on this machine).
#
#   make bench                                            (= bash bench/run.sh, from the repository root)
#   SHPALTA_BIN=.build/debug/shpalta BENCH_N=3000 BENCH_DURATION=3s bash bench/run.sh     (quick try)
#
# Steps (each command is printed, prefixed with "+", so the figures can be reproduced by hand):
#   1. build the release binary (swift build -c release) unless SHPALTA_BIN names one;
#   2. generate the corpus once into data/bench/corpus-N/ (python venv in .venv, ../shared/corpus);
#   3. import it into a fresh SQLite database data/bench/bench.sqlite (timed: articles/second);
#   4. start `shpalta serve` on 127.0.0.1:18080;
#   5. pick the URLs: an article (first item of /news), /, /news, and feed page 500 (following the
#      "показати більше" links from /news 499 times; the last page if the corpus has fewer pages);
#   6. wrk each URL after a short warm-up;
#   7. nginx (Debian's, own config in a temp dir) serves the saved article HTML on 127.0.0.1:18081; wrk it;
#   8. print a table and write it to data/bench/results.md.
#
# Environment:
#   SHPALTA_BIN       server binary to use instead of building .build/release/shpalta
#   BENCH_N           articles in the corpus (default 20000)
#   BENCH_DURATION    wrk duration per URL (default 10s)
#   BENCH_THREADS     wrk threads (default 2)        BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_WARMUP      warm-up duration (default 2s)  BENCH_PAGE         deep feed page (default 500)
#   BENCH_PORT        server port (default 18080)    BENCH_NGINX_PORT   nginx port (default 18081)
#   SHARED            shared folder with corpus/ (default ../shared)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

N=${BENCH_N:-20000}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WARMUP=${BENCH_WARMUP:-2s}
DEEP_PAGE=${BENCH_PAGE:-500}
PORT=${BENCH_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
SHARED=${SHARED:-../shared}
DATA=data/bench
CORPUS_DIR=$DATA/corpus-$N
CORPUS=$CORPUS_DIR/corpus.jsonl
DB=$DATA/bench.sqlite
MEDIA=$DATA/media
BASE=http://127.0.0.1:$PORT
NGINX_BASE=http://127.0.0.1:$NGINX_PORT
RESULTS=$DATA/results.md

# --- helpers -------------------------------------------------------------------------------------------

say() { printf '\n== %s\n' "$*"; }
# Prints a command (shell-quoted, so it can be pasted) and runs it.
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    "$@"
}
die() {
    printf 'bench: %s\n' "$*" >&2
    exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing (make deps installs it)"; }
# HTTP status of a URL (000 if nothing answers).
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1" || true; }
# The href of the first <a class="more" ...> in the HTML on stdin, with &amp; decoded.
more_href() {
    grep -o '<a [^>]*class="more"[^>]*>' | head -n 1 | grep -o 'href="[^"]*"' | head -n 1 |
        sed -e 's/^href="//' -e 's/"$//' -e 's/&amp;/\&/g' || true
}
# Milliseconds from a wrk latency figure such as 812.00us, 12.34ms, 1.02s.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else printf "nan" }'
}
# a / b with three significant digits (0.0123, 0.915, 1.03).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3g", a / b; else printf "n/a" }'; }

SERVER_PID=
NGINX_PID=
TMP=
cleanup() {
    local rc=$?
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "+ kill $SERVER_PID   # shpalta serve"
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "$TMP" ] && rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in curl wrk nginx python3 awk; do need "$tool"; done
TMP=$(mktemp -d /tmp/shpalta-bench.XXXXXX)
mkdir -p "$DATA"

# --- 1. binary -----------------------------------------------------------------------------------------

say "1. server binary"
if [ -n "${SHPALTA_BIN:-}" ]; then
    BIN=$SHPALTA_BIN
    echo "using SHPALTA_BIN=$BIN (not building)"
else
    run swift build -c release
    BIN=.build/release/shpalta
fi
[ -x "$BIN" ] || die "no executable at $BIN"
case "$BIN" in
*debug*) BUILD="debug build ($BIN) — not representative, use the release build for real figures" ;;
*) BUILD="$BIN" ;;
esac

# --- 2. corpus -----------------------------------------------------------------------------------------

say "2. corpus of $N articles ($CORPUS)"
if [ -s "$CORPUS" ]; then
    echo "cached: $CORPUS ($(wc -l <"$CORPUS") lines); delete $CORPUS_DIR to regenerate"
else
    if [ ! -e .venv/done ]; then
        run python3 -m venv .venv
        if run .venv/bin/pip install -q -r "$SHARED/corpus/requirements.txt"; then
            run touch .venv/done
        else
            echo "WARNING: pip install failed; make_corpus.py falls back to its small built-in vocabulary" >&2
        fi
    fi
    rm -rf "$CORPUS_DIR.tmp"
    run mkdir -p "$CORPUS_DIR.tmp"
    run .venv/bin/python "$SHARED/corpus/make_corpus.py" --n "$N" --out "$CORPUS_DIR.tmp"
    rm -rf "$CORPUS_DIR"
    run mv "$CORPUS_DIR.tmp" "$CORPUS_DIR"
fi
ARTICLES=$(wc -l <"$CORPUS")

# --- 3. import -----------------------------------------------------------------------------------------

say "3. import into a fresh database ($DB)"
run rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$MEDIA"
t0=$(date +%s.%N)
run "$BIN" import jsonl "$CORPUS" --database "$DB" --media-dir "$MEDIA" --stock-photos Demo/photos
t1=$(date +%s.%N)
IMPORT_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
IMPORT_RATE=$(awk -v n="$ARTICLES" -v s="$IMPORT_S" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "n/a" }')
echo "imported $ARTICLES articles in $IMPORT_S s = $IMPORT_RATE articles/s"

# --- 4. server -----------------------------------------------------------------------------------------

say "4. shpalta serve on $BASE"
[ "$(status_of "$BASE/")" = 000 ] || die "something already answers on port $PORT (BENCH_PORT=... to use another)"
printf '+ %q serve --port %q --database %q --media-dir %q > %q 2>&1 &\n' "$BIN" "$PORT" "$DB" "$MEDIA" "$TMP/server.log"
"$BIN" serve --port "$PORT" --database "$DB" --media-dir "$MEDIA" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
ready=
for _ in $(seq 600); do # 60 s
    kill -0 "$SERVER_PID" 2>/dev/null || break
    if [ "$(status_of "$BASE/")" = 200 ]; then ready=1 && break; fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    cat "$TMP/server.log" >&2
    die "the server did not answer 200 on $BASE/ within 60 s (log above)"
fi
echo "ready (pid $SERVER_PID)"

# --- 5. URLs -------------------------------------------------------------------------------------------

say "5. URLs"
run curl -sf -o "$TMP/news.html" "$BASE/news"
ARTICLE=$(sed -n '/<ol class="feed"/,$p' "$TMP/news.html" | grep -o '<li[^>]*data-id=.*' | head -n 1 |
    grep -o 'href="/news/[^"]*"' | head -n 1 | sed -e 's/^href="//' -e 's/"$//' || true)
[ -n "$ARTICLE" ] || die "no article link in the first item of /news"
echo "article page: $ARTICLE (the first item of /news)"

echo "feed page $DEEP_PAGE: following a.more from /news up to $((DEEP_PAGE - 1)) times:"
echo "+ curl -sf \"$BASE\$URL\" | grep -o '<a [^>]*class=\"more\"[^>]*>'   # href -> next URL"
url=/news
page=1
while [ "$page" -lt "$DEEP_PAGE" ]; do
    next=$(curl -sf --max-time 30 "$BASE$url" | more_href) || die "GET $url failed"
    [ -n "$next" ] || break
    url=$next
    page=$((page + 1))
    if [ $((page % 100)) = 0 ]; then echo "  page $page: $url"; fi
done
DEEP_URL=$url
if [ "$page" -lt "$DEEP_PAGE" ]; then
    DEEP_NOTE="the corpus has only $page feed pages: page $page (the last) stands in for page $DEEP_PAGE"
    echo "NOTE: $DEEP_NOTE"
else
    DEEP_NOTE=
fi
echo "feed page $page: $DEEP_URL"

NAMES=("article" "home" "feed page 1" "feed page $page")
URLS=("$ARTICLE" "/" "/news" "$DEEP_URL")
for u in "${URLS[@]}"; do
    s=$(status_of "$BASE$u")
    [ "$s" = 200 ] || die "GET $u answered $s, not 200"
done

# --- 6. wrk --------------------------------------------------------------------------------------------

# bench NAME URL: warm-up, then wrk --latency; sets RPS, P99, P99_MS, ERRORS, BYTES.
bench() {
    local name=$1 url=$2 out
    out="$TMP/wrk-$(echo "$name" | tr -c 'a-z0-9' '-').txt"
    echo
    echo "-- $name: $url ($(curl -s "$url" | wc -c) bytes)"
    run wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
    run wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee "$out"
    RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    P99=$(awk '$1 == "99%" { print $2 }' "$out")
    P99_MS=$(to_ms "${P99:-nan}")
    ERRORS=$(grep -E 'Non-2xx|Socket errors' "$out" | sed 's/^ *//' | paste -sd ';' - || true)
    [ -n "$RPS" ] || die "could not read Requests/sec from wrk's output"
}

say "6. wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up), Shpalta"
declare -a RPS_OF P99_OF P99MS_OF ERR_OF
for i in "${!URLS[@]}"; do
    bench "${NAMES[$i]}" "$BASE${URLS[$i]}"
    RPS_OF[$i]=$RPS
    P99_OF[$i]=$P99
    P99MS_OF[$i]=$P99_MS
    ERR_OF[$i]=$ERRORS
done

# --- 7. nginx ------------------------------------------------------------------------------------------

say "7. nginx serving the same article HTML as a static file on $NGINX_BASE"
[ "$(status_of "$NGINX_BASE/")" = 000 ] || die "something already answers on port $NGINX_PORT"
mkdir -p "$TMP/www" "$TMP/nginx-temp"
run curl -sf -o "$TMP/www/article.html" "$BASE$ARTICLE"
cat >"$TMP/nginx.conf" <<EOF
user root;
worker_processes 2;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx-temp/body;
    proxy_temp_path $TMP/nginx-temp/proxy;
    fastcgi_temp_path $TMP/nginx-temp/fastcgi;
    uwsgi_temp_path $TMP/nginx-temp/uwsgi;
    scgi_temp_path $TMP/nginx-temp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
        location / { try_files \$uri =404; }
    }
}
EOF
echo "+ cat $TMP/nginx.conf"
sed 's/^/    /' "$TMP/nginx.conf"
printf '+ nginx -e %q -p %q -c %q &\n' "$TMP/nginx-error.log" "$TMP" "$TMP/nginx.conf"
nginx -e "$TMP/nginx-error.log" -p "$TMP" -c "$TMP/nginx.conf" &
NGINX_PID=$!
ready=
for _ in $(seq 100); do
    kill -0 "$NGINX_PID" 2>/dev/null || break
    if [ "$(status_of "$NGINX_BASE/article.html")" = 200 ]; then ready=1 && break; fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    cat "$TMP/nginx-error.log" >&2 || true
    die "nginx did not start (log above)"
fi
cmp -s "$TMP/www/article.html" <(curl -s "$NGINX_BASE/article.html") || die "nginx serves different bytes"
bench "nginx static article" "$NGINX_BASE/article.html"
NGINX_RPS=$RPS
NGINX_P99=$P99
NGINX_ERR=$ERRORS
echo "+ kill -QUIT $NGINX_PID   # nginx"
kill -QUIT "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=

# --- 8. results ----------------------------------------------------------------------------------------

say "8. results"
{
    echo "# Shpalta benchmark"
    echo
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), wrk and the servers on the same machine"
    echo "- binary: $BUILD"
    echo "- corpus: $ARTICLES articles ($CORPUS), SQLite $DB; import: $IMPORT_S s = **$IMPORT_RATE articles/s**"
    echo "- \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency URL\` after a $WARMUP warm-up, on 127.0.0.1"
    echo "- nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'): the article page's HTML as a static file, 2 workers, access_log off"
    [ -n "$DEEP_NOTE" ] && echo "- NOTE: $DEEP_NOTE"
    echo
    echo "| page | URL | req/s | p99 latency | vs nginx |"
    echo "|---|---|---:|---:|---:|"
    for i in "${!URLS[@]}"; do
        printf '| %s | `%s` | %s | %s | %s |\n' "${NAMES[$i]}" "${URLS[$i]}" "${RPS_OF[$i]}" "${P99_OF[$i]}" \
            "$(ratio "${RPS_OF[$i]}" "$NGINX_RPS")"
    done
    printf '| nginx, static copy of the article | `/article.html` | %s | %s | 1 |\n' "$NGINX_RPS" "$NGINX_P99"
    echo
    echo "\"vs nginx\" = Shpalta req/s ÷ nginx req/s serving the same article bytes" \
        "(article: nginx is $(ratio "$NGINX_RPS" "${RPS_OF[0]}")× faster)."
    echo
    echo "Deep feed page: page $page vs page 1 (\`/news\`): ${RPS_OF[3]} vs ${RPS_OF[2]} req/s" \
        "= $(ratio "${RPS_OF[3]}" "${RPS_OF[2]}")× the throughput; p99 ${P99_OF[3]} vs ${P99_OF[2]}" \
        "= $(ratio "${P99MS_OF[3]}" "${P99MS_OF[2]}")× the latency."
    errs=
    for i in "${!URLS[@]}"; do
        [ -n "${ERR_OF[$i]}" ] && errs="$errs"$'\n'"- ${NAMES[$i]}: ${ERR_OF[$i]}"
    done
    [ -n "$NGINX_ERR" ] && errs="$errs"$'\n'"- nginx: $NGINX_ERR"
    if [ -n "$errs" ]; then
        echo
        echo "wrk reported errors:$errs"
    fi
} >"$RESULTS"
echo
cat "$RESULTS"
echo
echo "(written to $RESULTS)"
