#!/usr/bin/env bash
# Shpalta benchmark: wrk against the real server on a generated corpus, and against nginx serving the
# same article page as a static file (the ceiling for "bytes out of a socket" on this machine); search:
# indexing speed of a full reindex, and search requests/s and p50/p99 latency on this corpus and on a
# 100,000-article one.
#
#   make bench                                            (= bash bench/run.sh, from the repository root)
#   SHPALTA_BIN=.build/debug/shpalta BENCH_N=3000 BENCH_DURATION=3s bash bench/run.sh     (quick try)
#   SHPALTA_BIN=.build/debug/shpalta BENCH_N=3000 BENCH_SEARCH_N=5000 BENCH_DURATION=3s bash bench/run.sh
#
# Steps (each command is printed, prefixed with "+", so the figures can be reproduced by hand):
#   1. build the release binary (swift build -c release) unless SHPALTA_BIN names one;
#   2. generate the corpus once into data/bench/corpus-N/ (python venv in .venv, ../shared/corpus);
#   3. import it into a fresh SQLite database data/bench/bench.sqlite (timed: articles/second), then
#      `shpalta reindex` it (a full rebuild of the search index: its own articles/second figure);
#   4. start `shpalta serve` on 127.0.0.1:18080;
#   5. pick the URLs: an article (first item of /news), /, /news, and feed page 500 (following the
#      "показати більше" links from /news 499 times; the last page if the corpus has fewer pages);
#   6. wrk each URL after a short warm-up;
#   7. search: 40 fixed queries taken from the corpus's first 3,000 headlines (one word, two words, a quoted
#      phrase, a -exclusion, rubric/date filters, page 2, nothing found), written to
#      data/bench/search-queries.tsv; each is fetched once (status 200, hits counted), then wrk cycles
#      through them with a Lua script (data/bench/search-lua/): all 40 mixed, then each class alone;
#   8. nginx (Debian's, own config in a temp dir) serves the saved article HTML on 127.0.0.1:18081; wrk it;
#      then the server of step 4 is stopped;
#   9. unless BENCH_SEARCH_N=0: a 100,000-article corpus (data/bench/corpus-100000, generated once),
#      imported into data/bench/search-100k.sqlite (timed), reindexed (timed), served on 127.0.0.1:18082,
#      the same 40 queries benchmarked as in step 7; that server is stopped;
#  10. if BENCH_POSTGRES names an empty PostgreSQL database: the corpus of step 2 imported into it (timed),
#      reindexed (timed), served on 127.0.0.1:18083, the same 40 queries benchmarked as in step 7;
#  11. print a table and write it to data/bench/results.md.
#
#   make bench-postgres   (step 10 in a throw-away PostgreSQL cluster from pg_virtualenv, without step 9)
#
# Environment:
#   SHPALTA_BIN       server binary to use instead of building .build/release/shpalta
#   BENCH_N           articles in the corpus (default 20000)
#   BENCH_DURATION    wrk duration per URL (default 10s)
#   BENCH_THREADS     wrk threads (default 2)        BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_WARMUP      warm-up duration (default 2s)  BENCH_PAGE         deep feed page (default 500)
#   BENCH_PORT        server port (default 18080)    BENCH_NGINX_PORT   nginx port (default 18081)
#   BENCH_SEARCH_N    articles in the second, search-only corpus (default 100000 when BENCH_N is the
#                     default 20000, else 0; 0 skips step 9)
#   BENCH_SEARCH_PORT port of the second server (default 18082)
#   BENCH_SEARCH_CONNECTIONS  wrk connections for search (default 8: enough to keep every CPU busy; with
#                     searches taking 100s of ms, 32 would only add queueing, and on the large corpus no
#                     request might finish within the run)
#   BENCH_SEARCH_DURATION     wrk duration per search run (default BENCH_DURATION)
#   BENCH_SEARCH_TIMEOUT      wrk --timeout for search (default 30s, so slow searches count in p99 instead
#                     of being dropped as wrk's default 2 s timeouts)
#   BENCH_REUSE       set (to anything) to keep the SQLite databases of an earlier run instead of importing
#                     again (the import is then not timed; the reindex still is)
#   BENCH_POSTGRES    URL of an empty PostgreSQL database for step 10 (default: none, step 10 skipped)
#   BENCH_POSTGRES_PORT  port of the server over PostgreSQL (default 18083)
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
if [ "$N" = 20000 ]; then SEARCH_N=${BENCH_SEARCH_N:-100000}; else SEARCH_N=${BENCH_SEARCH_N:-0}; fi
SEARCH_PORT=${BENCH_SEARCH_PORT:-18082}
SEARCH_TIMEOUT=${BENCH_SEARCH_TIMEOUT:-30s}
SEARCH_CONNECTIONS=${BENCH_SEARCH_CONNECTIONS:-8}
SEARCH_DURATION=${BENCH_SEARCH_DURATION:-$DURATION}
SHARED=${SHARED:-../shared}
DATA=data/bench
CORPUS_DIR=$DATA/corpus-$N
CORPUS=$CORPUS_DIR/corpus.jsonl
DB=$DATA/bench.sqlite
MEDIA=$DATA/media
BASE=http://127.0.0.1:$PORT
NGINX_BASE=http://127.0.0.1:$NGINX_PORT
RESULTS=$DATA/results.md
QUERIES=$DATA/search-queries.tsv
LUA_DIR=$DATA/search-lua
# 100000 -> 100k (for file names and headings)
short() { if [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"; else echo "$1"; fi; }
SEARCH_LABEL=$(short "$SEARCH_N")
SEARCH_CORPUS_DIR=$DATA/corpus-$SEARCH_N
SEARCH_CORPUS=$SEARCH_CORPUS_DIR/corpus.jsonl
SEARCH_DB=$DATA/search-$SEARCH_LABEL.sqlite
SEARCH_MEDIA=$DATA/search-$SEARCH_LABEL-media
SEARCH_BASE=http://127.0.0.1:$SEARCH_PORT
PG_URL=${BENCH_POSTGRES:-}
PG_PORT=${BENCH_POSTGRES_PORT:-18083}
PG_MEDIA=$DATA/postgres-media
PG_BASE=http://127.0.0.1:$PG_PORT
case "$PG_URL" in '' | postgres://* | postgresql://*) ;; *) echo "bench: BENCH_POSTGRES must be a postgres:// URL" >&2 && exit 1 ;; esac
case "$SEARCH_N" in '' | *[!0-9]*) echo "bench: BENCH_SEARCH_N must be a number" >&2 && exit 1 ;; esac

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
SEARCH_PID=
NGINX_PID=
TMP=
# stop_server PID: TERM, up to 5 s, then KILL.
stop_server() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    echo "+ kill $pid   # shpalta serve"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    stop_server "$SERVER_PID"
    stop_server "$SEARCH_PID"
    [ -n "$TMP" ] && rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ensure_corpus N DIR: generates DIR/corpus.jsonl (N articles) unless it is already there.
ensure_corpus() {
    local n=$1 dir=$2
    if [ -s "$dir/corpus.jsonl" ]; then
        echo "cached: $dir/corpus.jsonl ($(wc -l <"$dir/corpus.jsonl") lines); delete $dir to regenerate"
        return
    fi
    if [ ! -e .venv/done ]; then
        run python3 -m venv .venv
        if run .venv/bin/pip install -q -r "$SHARED/corpus/requirements.txt"; then
            run touch .venv/done
        else
            echo "WARNING: pip install failed; make_corpus.py falls back to its small built-in vocabulary" >&2
        fi
    fi
    rm -rf "$dir.tmp"
    run mkdir -p "$dir.tmp"
    run .venv/bin/python "$SHARED/corpus/make_corpus.py" --n "$n" --out "$dir.tmp"
    rm -rf "$dir"
    run mv "$dir.tmp" "$dir"
}

# import_cell I: "R articles/s (S s)" for the import of corpus I (0 main, 1 search), or "not timed" (BENCH_REUSE).
import_cell() {
    if [ -n "${IMPORT_S_OF[$1]}" ]; then
        echo "${IMPORT_RATE_OF[$1]} articles/s (${IMPORT_S_OF[$1]} s)"
    else
        echo "not timed (BENCH_REUSE: database of an earlier run)"
    fi
}

# import_and_reindex CORPUS DB MEDIA: a fresh database (an SQLite file, or an empty PostgreSQL database's URL);
# sets IMPORT_S, IMPORT_RATE, REINDEX_S, REINDEX_RATE.
import_and_reindex() {
    local corpus=$1 db=$2 media=$3 n t0 t1 line
    n=$(wc -l <"$corpus")
    if [ -n "${BENCH_REUSE:-}" ] && [ -s "$db" ]; then
        echo "BENCH_REUSE: keeping $db as imported by an earlier run (import not timed)"
        IMPORT_S=
        IMPORT_RATE=
    else
        case "$db" in
        postgres://* | postgresql://*) run rm -rf "$media" ;;
        *) run rm -rf "$db" "$db-wal" "$db-shm" "$db-journal" "$media" ;;
        esac
        t0=$(date +%s.%N)
        run "$BIN" import jsonl "$corpus" --database "$db" --media-dir "$media" --stock-photos Demo/photos
        t1=$(date +%s.%N)
        IMPORT_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        IMPORT_RATE=$(awk -v n="$n" -v s="$IMPORT_S" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "n/a" }')
        echo "imported $n lines in $IMPORT_S s = $IMPORT_RATE articles/s"
    fi
    # "Reindexed N articles in S s (R articles/s)." on stdout, the progress bar on stderr.
    run "$BIN" reindex --database "$db" | tee "$TMP/reindex.txt"
    line=$(grep -m1 '^Reindexed ' "$TMP/reindex.txt" || true)
    REINDEX_S=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
    REINDEX_RATE=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) articles\/s).*/\1/p')
    [ -n "$REINDEX_RATE" ] || die "could not read articles/s from shpalta reindex's output"
}

# start_server PORT DB MEDIA LOG: starts `shpalta serve` in the background, waits for 200 on / (60 s);
# sets STARTED_PID.
start_server() {
    local port=$1 db=$2 media=$3 log=$4 base=http://127.0.0.1:$1 ready=
    [ "$(status_of "$base/")" = 000 ] || die "something already answers on port $port (use another port)"
    printf '+ %q serve --port %q --database %q --media-dir %q > %q 2>&1 &\n' "$BIN" "$port" "$db" "$media" "$log"
    "$BIN" serve --port "$port" --database "$db" --media-dir "$media" >"$log" 2>&1 &
    STARTED_PID=$!
    for _ in $(seq 600); do # 60 s
        kill -0 "$STARTED_PID" 2>/dev/null || break
        if [ "$(status_of "$base/")" = 200 ]; then ready=1 && break; fi
        sleep 0.1
    done
    if [ -z "$ready" ]; then
        cat "$log" >&2
        die "the server did not answer 200 on $base/ within 60 s (log above)"
    fi
    echo "ready (pid $STARTED_PID)"
}

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
ensure_corpus "$N" "$CORPUS_DIR"
ARTICLES=$(wc -l <"$CORPUS")

# --- 3. import -----------------------------------------------------------------------------------------

say "3. import into a fresh database ($DB), then a full reindex"
import_and_reindex "$CORPUS" "$DB" "$MEDIA"
REINDEX_RATE_OF=("$REINDEX_RATE")
REINDEX_S_OF=("$REINDEX_S")
IMPORT_S_OF=("$IMPORT_S")
IMPORT_RATE_OF=("$IMPORT_RATE")

# --- 4. server -----------------------------------------------------------------------------------------

say "4. shpalta serve on $BASE"
[ "$(status_of "$BASE/")" = 000 ] || die "something already answers on port $PORT (BENCH_PORT=... to use another)"
start_server "$PORT" "$DB" "$MEDIA" "$TMP/server.log"
SERVER_PID=$STARTED_PID

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

# --- 7. search ------------------------------------------------------------------------------------------

# The query classes, in table order: file-name key and heading.
CLASSES=(word two-words phrase exclusion filter page-2 no-match)
declare -A CLASS_NAME=([all]="all mixed" [word]="one word" [two-words]="two words" [phrase]='"quoted phrase"'
    [exclusion]="word -exclusion" [filter]="word + rubric or dates" [page-2]="word, page 2" [no-match]="nothing found")

# make_queries < JSONL: writes "class<TAB>query as typed (and filters)<TAB>path" lines to stdout. Only the
# headlines it is given are read (the caller passes the first 3,000 lines): words in their inflected forms
# as they stand in headlines (frequent, middling and once-only ones, noun-like endings preferred), two
# neighbouring words, a quoted three-word phrase, "word -word", a word within its article's rubric or a
# two-month window around its date, page 2 of a frequent word, and two made-up words that match nothing.
# Deterministic: the same corpus gives the same 40 queries.
make_queries() {
    python3 -c '
import collections, datetime as dt, json, random, re, sys, urllib.parse

STOP = set("""і й та в у на з із зі зо що як до не ні це ця ці цей цю цього цієї цих цим цьому тих той те ту за по
від для але або а він вона воно вони його її їх їм їй йому ми ви я ти так ще вже тільки лише коли де чи бо ж би б
було був була були буде будуть бути є то також навіть дуже може можна треба після перед через під над між про при
без який яка яке які якого якій яких яким якому ніж аж хоч хоча тому тоді тут там теж весь вся все всі свій своє
своя свої свого своїх свою своєю себе собі мене мені тебе нас вас нам вам них ним нею ній нього неї біля дещо
жоден обох кілька декілька загалом раптом згодом спочатку повністю швидко щороку досить давно зараз особливо
потрібно просто завжди багато самого самому добре тобто ось саме щось хтось ніхто ніщо нічого інколи іноді
""".split())
NOUN = ("ами", "ями", "ові", "еві", "ість", "ості", "істю", "ння", "нню", "ннями", "ннях", "ття", "ттям", "ція",
        "ції", "цію", "цією", "ах", "ях", "ів", "ом", "ем", "ок", "ка", "ку", "ці", "ки", "ністю", "ією")
NOT_NOUN = ("ого", "ому", "ими", "ій", "ий", "их", "ої", "ою", "ти", "ся", "сь", "ла", "ли", "ло", "ють", "ять",
            "ить", "ать", "ує", "ює", "ає", "яє", "ено", "ано", "то")
WORD = re.compile(r"[^\W\d_]+(?:[’\x27-][^\W\d_]+)*")
# Numbers too: a quoted phrase must be words that really stand side by side.
TOKEN = re.compile(r"[^\W_]+(?:[’\x27-][^\W_]+)*")

def words(text):
    return [w.lower() for w in WORD.findall(text)]

def content(w, n=5):
    return len(w) >= n and w not in STOP

def nounish(w):
    if not content(w, 6) or "-" in w or not w.endswith(NOUN):
        return False
    return w.endswith(("ністю", "ією")) or not w.endswith(NOT_NOUN)

rng = random.Random(20240618)
titles, tokens, rubrics, dates = [], [], [], []
for line in sys.stdin:
    try:
        a = json.loads(line)
    except ValueError:
        continue
    if isinstance(a, dict) and isinstance(a.get("title"), str):
        titles.append(words(a["title"]))
        tokens.append([w.lower() for w in TOKEN.findall(a["title"])])
        rubrics.append(a.get("rubric_slug") or "")
        dates.append(str(a.get("published_at") or "")[:10])
if len(titles) < 100:
    sys.exit("make_queries: only %d headlines to pick queries from" % len(titles))

freq = collections.Counter(w for t in titles for w in set(t) if nounish(w))
common = [w for w, _ in freq.most_common(60)]
middle = sorted(w for w, c in freq.items() if 3 <= c <= 8)
rare = sorted(w for w, c in freq.items() if c == 1 and len(w) >= 8)
seen, out = set(), []

def count(cls):
    return sum(row[0] == cls for row in out)

def add(cls, text, **params):
    key = (text, tuple(sorted(params.items())))
    if key in seen:
        return
    seen.add(key)
    items = [("q", text)] + list(params.items())
    path = "/search?" + "&".join("%s=%s" % (k, urllib.parse.quote(v, safe="")) for k, v in items)
    out.append((cls, text + "".join(" [%s=%s]" % kv for kv in params.items()), path))

def pick(pool, k):
    pool = [w for w in pool if (w, ()) not in seen]
    return rng.sample(pool, min(k, len(pool)))

order = list(range(len(titles)))
rng.shuffle(order)
for w in pick(common[:30], 4) + pick(middle, 4) + pick(rare, 4):
    add("word", w)
for i in order:
    if count("two-words") >= 10:
        break
    t = titles[i]
    pairs = [(a, b) for a, b in zip(t, t[1:]) if a != b and content(a) and content(b) and (nounish(a) or nounish(b))]
    if pairs:
        add("two-words", " ".join(rng.choice(pairs)))
for i in reversed(order):
    if count("phrase") >= 5:
        break
    t = tokens[i]
    threes = [t[j:j + 3] for j in range(len(t) - 2)
              if content(t[j]) and content(t[j + 2]) and (nounish(t[j]) or nounish(t[j + 2]))]
    if threes:
        add("phrase", "\"%s\"" % " ".join(rng.choice(threes)))
for a, b in zip(pick(common[:20], 4), pick(common[20:60], 4)):
    add("exclusion", "%s -%s" % (a, b))
for i in order[:300]:
    if count("filter") >= 3:
        break
    ws = [w for w in titles[i] if nounish(w)]
    if ws and rubrics[i]:
        add("filter", rng.choice(ws), rubric=rubrics[i])
for i in order[300:600]:
    if count("filter") >= 5:
        break
    ws = [w for w in titles[i] if nounish(w)]
    try:
        day = dt.date.fromisoformat(dates[i])
    except ValueError:
        continue
    if ws:
        add("filter", rng.choice(ws), **{"from": str(day - dt.timedelta(days=30)), "to": str(day + dt.timedelta(days=30))})
for w in pick(common[:10], 2):
    add("page-2", w, page="2")
add("no-match", "шпальтозаврами")
add("no-match", "квазібандурист гіперсмерековий")
for row in out:
    print("\t".join(row))
'
}

# check_queries BASE KEY PID: GETs every query once, alone (status must be 200), and counts the results on
# that page (<li data-id="/news/..."> in the results list; "+" when there is a "show more" link); prints a
# line per query with its time and sets FOUND_OF[KEY] (queries with at least one result). A query that
# takes over 60 s is reported and skipped (the wrk runs will show the same).
declare -A FOUND_OF
check_queries() {
    local base=$1 key=$2 pid=$3 i=0 found=0 slow=0 cls shown path res code secs hits warn note=
    echo "+ curl -s -w '%{http_code} %{time_total}' --max-time 60 \"$base\$PATH\"   # each query once: status, time, results"
    while IFS=$'\t' read -r cls shown path; do
        i=$((i + 1))
        res=$(curl -s -o "$TMP/query.html" -w '%{http_code} %{time_total}' --max-time 60 "$base$path" || true)
        code=${res%% *}
        secs=${res##* }
        if [ "$code" = 000 ]; then
            kill -0 "$pid" 2>/dev/null || die "the server is gone (GET $path)"
            printf '  %2d  %-10s    ?  %7s s  %s   <- WARNING: no answer within 60 s\n' "$i" "$cls" ">60" "$shown"
            slow=$((slow + 1))
            continue
        fi
        [ "$code" = 200 ] || die "GET $path answered $code, not 200"
        hits=$(awk '/<ol class="feed search-results"/ { inside = 1 }
            inside && /<li[^>]*data-id="\/news\// { n++ }
            inside && /<\/ol>/ { inside = 0; after = 2 }
            after > 0 && /class="more"/ { more = "+" }
            after > 0 { after-- }
            END { printf "%d%s", n, more }' "$TMP/query.html")
        warn=
        if [ "$cls" = no-match ]; then
            [ "${hits%+}" = 0 ] || warn="   <- WARNING: expected nothing"
        elif [ "${hits%+}" = 0 ]; then
            warn="   <- WARNING: nothing found"
        fi
        [ "${hits%+}" = 0 ] || found=$((found + 1))
        printf '  %2d  %-10s %4s  %7s s  %s%s\n' "$i" "$cls" "$hits" "$secs" "$shown" "$warn"
    done <"$QUERIES"
    FOUND_OF[$key]=$found
    [ "$slow" = 0 ] || note="; $slow did not answer within 60 s"
    echo "$found of $i queries found something$note (20+ = a full first page and a \"show more\" link)"
}

# class_size CLASS: how many of the queries are of CLASS ("all": every query).
class_size() { awk -F '\t' -v c="$1" 'c == "all" || $1 == c' "$QUERIES" | wc -l; }

# class_row KEY CLASS: the start of a results-table row, "| class | queries | req/s | p50 | p99 |", for the
# search benchmark KEY (no newline, so that a row may go on with another corpus's columns).
class_row() {
    printf '| %s | %s | %s | %s | %s |' "${CLASS_NAME[$2]}" "$(class_size "$2")" \
        "${S_RPS[$1/$2]}" "${S_P50[$1/$2]}" "${S_P99[$1/$2]}"
}

# write_lua CLASS FILE: a wrk script that cycles through the paths of CLASS ("all": every query), each
# thread starting at a different query.
write_lua() {
    local cls=$1 file=$2
    {
        echo "-- wrk -s: cycles through the search queries of class \"$cls\" (from $QUERIES)"
        echo "local paths = {"
        awk -F '\t' -v c="$cls" 'c == "all" || $1 == c { printf "  \"%s\",\n", $3 }' "$QUERIES"
        echo "}"
        cat <<'EOF'
local next_start = 0
function setup(thread)
  thread:set("start", next_start)
  next_start = next_start + 7
end
local i = 0
function init(args)
  i = (start or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF
    } >"$file"
}

# wait_idle PID: the server keeps working on the requests wrk left in flight when it stopped; waits (up
# to 120 s) until the process uses under 5% of a CPU for two half-second samples, so one run's backlog does
# not slow down the next.
wait_idle() {
    local pid=$1 before after quiet=0 waited=0
    before=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 0
    while [ "$waited" -lt 240 ]; do
        sleep 0.5
        waited=$((waited + 1))
        after=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || return 0
        if [ $((after - before)) -le $(($(getconf CLK_TCK) / 40)) ]; then
            quiet=$((quiet + 1))
            [ "$quiet" -ge 2 ] && break
        else
            quiet=0
        fi
        before=$after
    done
    if [ "$waited" -gt 2 ]; then
        echo "(waited $((waited / 2)).$((waited % 2 * 5)) s for the server to finish the previous run's requests)"
    fi
}

# search_bench KEY BASE PID: a warm-up over all queries, then wrk --latency with each Lua script, the
# server idle before each; sets S_RPS[KEY/class], S_P50[...], S_P99[...], S_ERR[...].
declare -A S_RPS S_P50 S_P99 S_ERR
search_bench() {
    local key=$1 base=$2 pid=$3 cls out
    run wrk -t"$THREADS" -c"$SEARCH_CONNECTIONS" -d"$WARMUP" --timeout "$SEARCH_TIMEOUT" -s "$LUA_DIR/all.lua" "$base" >/dev/null
    for cls in all "${CLASSES[@]}"; do
        out="$TMP/wrk-search-$key-$cls.txt"
        wait_idle "$pid"
        echo
        echo "-- search, ${CLASS_NAME[$cls]} ($(class_size "$cls") queries)"
        run wrk -t"$THREADS" -c"$SEARCH_CONNECTIONS" -d"$SEARCH_DURATION" --timeout "$SEARCH_TIMEOUT" --latency \
            -s "$LUA_DIR/$cls.lua" "$base" | tee "$out"
        S_RPS[$key/$cls]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
        S_P50[$key/$cls]=$(awk '$1 == "50%" { print $2 }' "$out")
        S_P99[$key/$cls]=$(awk '$1 == "99%" { print $2 }' "$out")
        S_ERR[$key/$cls]=$(grep -E 'Non-2xx|Socket errors' "$out" | sed 's/^ *//' | paste -sd ';' - || true)
        [ -n "${S_RPS[$key/$cls]}" ] || die "could not read Requests/sec from wrk's output"
        if [ "$(awk '/ requests in / { print $1 }' "$out")" = 0 ]; then
            # wrk prints 0.00us percentiles when nothing completed; say so instead.
            S_P50[$key/$cls]="–"
            S_P99[$key/$cls]="–"
            S_ERR[$key/$cls]="no request completed within $SEARCH_DURATION (every search took longer with $SEARCH_CONNECTIONS connections)${S_ERR[$key/$cls]:+; ${S_ERR[$key/$cls]}}"
            echo "WARNING: ${S_ERR[$key/$cls]}" >&2
        fi
    done
    wait_idle "$pid"
}

say "7. search on $BASE: fixed queries from the first 3000 headlines of $CORPUS"
echo "+ head -n 3000 $CORPUS | make_queries > $QUERIES   # make_queries: the python3 -c program in bench/run.sh"
head -n 3000 "$CORPUS" | make_queries >"$TMP/queries.tsv"
mv "$TMP/queries.tsv" "$QUERIES"
QUERY_COUNT=$(wc -l <"$QUERIES")
CLASS_NAME[all]="all $QUERY_COUNT mixed"
echo "$QUERY_COUNT queries:$(for cls in "${CLASSES[@]}"; do printf ' %s %s,' "$(class_size "$cls")" "${CLASS_NAME[$cls]}"; done | sed 's/,$//')"
rm -rf "$LUA_DIR"
mkdir -p "$LUA_DIR"
for cls in all "${CLASSES[@]}"; do write_lua "$cls" "$LUA_DIR/$cls.lua"; done
echo "wrk scripts: $LUA_DIR/{all,$(IFS=,; echo "${CLASSES[*]}")}.lua"
check_queries "$BASE" main "$SERVER_PID"
echo
echo "wrk -t$THREADS -c$SEARCH_CONNECTIONS -d$SEARCH_DURATION --timeout $SEARCH_TIMEOUT --latency -s SCRIPT (after a $WARMUP warm-up over all queries):"
search_bench main "$BASE" "$SERVER_PID"

# --- 8. nginx ------------------------------------------------------------------------------------------

say "8. nginx serving the same article HTML as a static file on $NGINX_BASE"
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
stop_server "$SERVER_PID"
SERVER_PID=

# --- 9. search on a larger corpus ------------------------------------------------------------------------

# search_corpus KEY I CORPUS DB MEDIA PORT: imports CORPUS into the fresh database DB and reindexes it (figures at
# index I of the *_OF arrays), serves it on PORT, checks the queries once and benchmarks them (under KEY).
search_corpus() {
    local key=$1 i=$2 corpus=$3 db=$4 media=$5 port=$6
    echo "-- import and reindex ($(date -u +%H:%M:%S))"
    import_and_reindex "$corpus" "$db" "$media"
    REINDEX_RATE_OF[$i]=$REINDEX_RATE
    REINDEX_S_OF[$i]=$REINDEX_S
    IMPORT_S_OF[$i]=$IMPORT_S
    IMPORT_RATE_OF[$i]=$IMPORT_RATE
    echo "-- server ($(date -u +%H:%M:%S))"
    start_server "$port" "$db" "$media" "$TMP/server-$key.log"
    SEARCH_PID=$STARTED_PID
    echo "-- the same $QUERY_COUNT queries ($(date -u +%H:%M:%S))"
    check_queries "http://127.0.0.1:$port" "$key" "$SEARCH_PID"
    echo
    echo "wrk -t$THREADS -c$SEARCH_CONNECTIONS -d$SEARCH_DURATION --timeout $SEARCH_TIMEOUT --latency -s SCRIPT (after a $WARMUP warm-up over all queries):"
    search_bench "$key" "http://127.0.0.1:$port" "$SEARCH_PID"
    stop_server "$SEARCH_PID"
    SEARCH_PID=
    echo "-- done ($(date -u +%H:%M:%S))"
}

if [ "$SEARCH_N" -gt 0 ]; then
    say "9. search on $SEARCH_N articles: corpus $SEARCH_CORPUS_DIR, database $SEARCH_DB, server on $SEARCH_BASE"
    ensure_corpus "$SEARCH_N" "$SEARCH_CORPUS_DIR"
    SEARCH_ARTICLES=$(wc -l <"$SEARCH_CORPUS")
    search_corpus big 1 "$SEARCH_CORPUS" "$SEARCH_DB" "$SEARCH_MEDIA" "$SEARCH_PORT"
fi

# --- 10. search on PostgreSQL ---------------------------------------------------------------------------

if [ -n "$PG_URL" ]; then
    say "10. search on PostgreSQL: the $ARTICLES articles of $CORPUS, server on $PG_BASE"
    search_corpus pg 2 "$CORPUS" "$PG_URL" "$PG_MEDIA" "$PG_PORT"
fi

# --- 11. results ---------------------------------------------------------------------------------------

say "11. results"
{
    echo "# Shpalta benchmark"
    echo
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), wrk and the servers on the same machine"
    echo "- binary: $BUILD"
    echo "- corpus: $ARTICLES articles ($CORPUS), SQLite $DB; import: $(import_cell 0);" \
        "full reindex (\`shpalta reindex\`): ${REINDEX_S_OF[0]} s = **${REINDEX_RATE_OF[0]} articles/s**"
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
    echo
    echo "## Search"
    echo
    echo "$QUERY_COUNT fixed queries (\`$QUERIES\`) picked from the first 3000 headlines of $CORPUS:$(
        for cls in "${CLASSES[@]}"; do
            printf ' %s %s,' "$(class_size "$cls")" "${CLASS_NAME[$cls]}"
        done | sed 's/,$//'). The same list on both corpora."
    echo "\`wrk -t$THREADS -c$SEARCH_CONNECTIONS -d$SEARCH_DURATION --timeout $SEARCH_TIMEOUT --latency -s $LUA_DIR/CLASS.lua URL\`," \
        "the script cycling through the class's query URLs; after a $WARMUP warm-up over all queries."
    echo
    echo "| corpus | import | full reindex | search req/s (all mixed) | p50 | p99 | queries with results |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '| %s articles (`%s`) | %s | **%s articles/s** (%s s) | %s | %s | %s | %s of %s |\n' \
        "$ARTICLES" "$DB" "$(import_cell 0)" "${REINDEX_RATE_OF[0]}" "${REINDEX_S_OF[0]}" \
        "${S_RPS[main/all]}" "${S_P50[main/all]}" "${S_P99[main/all]}" "${FOUND_OF[main]}" "$QUERY_COUNT"
    if [ "$SEARCH_N" -gt 0 ]; then
        printf '| %s articles (`%s`) | %s | **%s articles/s** (%s s) | %s | %s | %s | %s of %s |\n' \
            "$SEARCH_ARTICLES" "$SEARCH_DB" "$(import_cell 1)" "${REINDEX_RATE_OF[1]}" \
            "${REINDEX_S_OF[1]}" "${S_RPS[big/all]}" "${S_P50[big/all]}" "${S_P99[big/all]}" "${FOUND_OF[big]}" \
            "$QUERY_COUNT"
    else
        echo "| (second corpus skipped: BENCH_SEARCH_N=0) | | | | | | |"
    fi
    echo
    if [ "$SEARCH_N" -gt 0 ]; then
        echo "| query class | queries | $(short "$ARTICLES"): req/s | p50 | p99 | $(short "$SEARCH_ARTICLES"): req/s | p50 | p99 |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    else
        echo "| query class | queries | req/s | p50 | p99 |"
        echo "|---|---:|---:|---:|---:|"
    fi
    for cls in all "${CLASSES[@]}"; do
        class_row main "$cls"
        if [ "$SEARCH_N" -gt 0 ]; then
            printf ' %s | %s | %s |' "${S_RPS[big/$cls]}" "${S_P50[big/$cls]}" "${S_P99[big/$cls]}"
        fi
        echo
    done
    if [ -n "$PG_URL" ]; then
        echo
        echo "### PostgreSQL ($(psql --version 2>/dev/null | awk '{ print $3 }'))"
        echo
        echo "The same $ARTICLES articles and queries, served over PostgreSQL on the same machine;" \
            "import: $(import_cell 2); full reindex: ${REINDEX_S_OF[2]} s = **${REINDEX_RATE_OF[2]} articles/s**;" \
            "${FOUND_OF[pg]} of $QUERY_COUNT queries found something."
        echo
        echo "| query class | queries | req/s | p50 | p99 |"
        echo "|---|---:|---:|---:|---:|"
        for cls in all "${CLASSES[@]}"; do
            class_row pg "$cls"
            echo
        done
    fi
    errs=
    for cls in all "${CLASSES[@]}"; do
        [ -n "${S_ERR[pg/$cls]:-}" ] && errs="$errs"$'\n'"- PostgreSQL, ${CLASS_NAME[$cls]}: ${S_ERR[pg/$cls]}"
        [ -n "${S_ERR[main/$cls]}" ] && errs="$errs"$'\n'"- $(short "$ARTICLES"), ${CLASS_NAME[$cls]}: ${S_ERR[main/$cls]}"
        [ -n "${S_ERR[big/$cls]:-}" ] && errs="$errs"$'\n'"- $(short "$SEARCH_ARTICLES"), ${CLASS_NAME[$cls]}: ${S_ERR[big/$cls]}"
    done
    if [ -n "$errs" ]; then
        echo
        echo "wrk reported errors:$errs"
    fi
    true
} >"$RESULTS"
echo
cat "$RESULTS"
echo
echo "(written to $RESULTS)"
