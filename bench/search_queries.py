"""The fixed search queries of the benchmark, picked from a corpus's headlines.

`make_queries` reads JSON Lines articles (the caller passes the corpus's first 3,000 lines) and returns
40 queries in seven classes: words in their inflected forms as they stand in headlines (frequent,
middling and once-only ones, noun-like endings preferred), two neighbouring words, a quoted three-word
phrase, "word -word", a word within its article's rubric or a two-month window around its date, page 2
of a frequent word, and two made-up words that match nothing. Deterministic: the same corpus gives the
same queries (a seeded random generator, called in a fixed order).
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import random
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# The query classes in table order: (file-name key, heading).
CLASSES: tuple[tuple[str, str], ...] = (
    ("word", "one word"),
    ("two-words", "two words"),
    ("phrase", '"quoted phrase"'),
    ("exclusion", "word -exclusion"),
    ("filter", "word + rubric or dates"),
    ("page-2", "word, page 2"),
    ("no-match", "nothing found"),
    ("suggest", "suggestions as you type (not in \"all\")"),
    ("common", "frequent word (not in \"all\")"),
    ("rare", "once-only word (not in \"all\")"),
)

# Classes run on their own, outside "all": the suggestions, and the one-word queries again, the frequent and the
# once-only ones apart, for issue #14's "a common word costs at most 2 × a rare one".
NOT_IN_ALL = ("suggest", "common", "rare")

STOP = set(
    """і й та в у на з із зі зо що як до не ні це ця ці цей цю цього цієї цих цим цьому тих той те ту за по
від для але або а він вона воно вони його її їх їм їй йому ми ви я ти так ще вже тільки лише коли де чи бо ж би б
було був була були буде будуть бути є то також навіть дуже може можна треба після перед через під над між про при
без який яка яке які якого якій яких яким якому ніж аж хоч хоча тому тоді тут там теж весь вся все всі свій своє
своя свої свого своїх свою своєю себе собі мене мені тебе нас вас нам вам них ним нею ній нього неї біля дещо
жоден обох кілька декілька загалом раптом згодом спочатку повністю швидко щороку досить давно зараз особливо
потрібно просто завжди багато самого самому добре тобто ось саме щось хтось ніхто ніщо нічого інколи іноді
""".split()
)
NOUN = ("ами", "ями", "ові", "еві", "ість", "ості", "істю", "ння", "нню", "ннями", "ннях", "ття", "ттям", "ція",
        "ції", "цію", "цією", "ах", "ях", "ів", "ом", "ем", "ок", "ка", "ку", "ці", "ки", "ністю", "ією")
NOT_NOUN = ("ого", "ому", "ими", "ій", "ий", "их", "ої", "ою", "ти", "ся", "сь", "ла", "ли", "ло", "ють", "ять",
            "ить", "ать", "ує", "ює", "ає", "яє", "ено", "ано", "то")
WORD = re.compile(r"[^\W\d_]+(?:[’\x27-][^\W\d_]+)*")
# Numbers too: a quoted phrase must be words that really stand side by side.
TOKEN = re.compile(r"[^\W_]+(?:[’\x27-][^\W_]+)*")
SEED = 20240618


@dataclass(frozen=True)
class Query:
    """One benchmark query: its class, the query as a reader types it (with filters), and its URL path."""

    cls: str
    shown: str
    path: str


def class_name(cls: str, total: int) -> str:
    """The heading of a class; "all" is every query ("all 40 mixed")."""
    if cls == "all":
        return f"all {total} mixed"
    return dict(CLASSES)[cls]


def of_class(queries: list[Query], cls: str) -> list[Query]:
    """The queries of `cls` ("all": every search, the classes of NOT_IN_ALL left out)."""
    return [q for q in queries if (cls == "all" and q.cls not in NOT_IN_ALL) or q.cls == cls]


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _content(w: str, n: int = 5) -> bool:
    return len(w) >= n and w not in STOP


def _nounish(w: str) -> bool:
    if not _content(w, 6) or "-" in w or not w.endswith(NOUN):
        return False
    return w.endswith(("ністю", "ією")) or not w.endswith(NOT_NOUN)


@dataclass
class _Headlines:
    """The headlines read from the corpus: words, tokens (numbers kept), rubric slug, publication day."""

    titles: list[list[str]]
    tokens: list[list[str]]
    rubrics: list[str]
    dates: list[str]


def _read_headlines(lines: Iterable[str]) -> _Headlines:
    h = _Headlines([], [], [], [])
    for line in lines:
        try:
            a = json.loads(line)
        except ValueError:
            continue
        if isinstance(a, dict) and isinstance(a.get("title"), str):
            h.titles.append(_words(a["title"]))
            h.tokens.append([w.lower() for w in TOKEN.findall(a["title"])])
            h.rubrics.append(a.get("rubric_slug") or "")
            h.dates.append(str(a.get("published_at") or "")[:10])
    return h


class _Picker:
    """Collects distinct queries; `rng` is the one random generator, so the order of calls matters."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        self.out: list[Query] = []

    def count(self, cls: str) -> int:
        return sum(q.cls == cls for q in self.out)

    def add(self, cls: str, text: str, **params: str) -> None:
        key = (text, tuple(sorted(params.items())))
        if key in self.seen:
            return
        self.seen.add(key)
        items = [("q", text)] + list(params.items())
        path = "/search?" + "&".join("%s=%s" % (k, urllib.parse.quote(v, safe="")) for k, v in items)
        self.out.append(Query(cls, text + "".join(" [%s=%s]" % kv for kv in params.items()), path))

    def pick(self, pool: list[str], k: int) -> list[str]:
        pool = [w for w in pool if (w, ()) not in self.seen]
        return self.rng.sample(pool, min(k, len(pool)))


def make_queries(lines: Iterable[str]) -> list[Query]:
    """The 40 queries (fewer if the headlines allow fewer) for the JSON Lines articles `lines`."""
    h = _read_headlines(lines)
    if len(h.titles) < 100:
        raise ValueError("make_queries: only %d headlines to pick queries from" % len(h.titles))
    freq = collections.Counter(w for t in h.titles for w in set(t) if _nounish(w))
    common = [w for w, _ in freq.most_common(60)]
    middle = sorted(w for w, c in freq.items() if 3 <= c <= 8)
    rare = sorted(w for w, c in freq.items() if c == 1 and len(w) >= 8)
    p = _Picker()
    order = list(range(len(h.titles)))
    p.rng.shuffle(order)
    frequent, middling, once = p.pick(common[:30], 4), p.pick(middle, 4), p.pick(rare, 4)
    for w in frequent + middling + once:
        p.add("word", w)
    for i in order:
        if p.count("two-words") >= 10:
            break
        t = h.titles[i]
        pairs = [(a, b) for a, b in zip(t, t[1:])
                 if a != b and _content(a) and _content(b) and (_nounish(a) or _nounish(b))]
        if pairs:
            p.add("two-words", " ".join(p.rng.choice(pairs)))
    for i in reversed(order):
        if p.count("phrase") >= 5:
            break
        t = h.tokens[i]
        threes = [t[j:j + 3] for j in range(len(t) - 2)
                  if _content(t[j]) and _content(t[j + 2]) and (_nounish(t[j]) or _nounish(t[j + 2]))]
        if threes:
            p.add("phrase", '"%s"' % " ".join(p.rng.choice(threes)))
    for a, b in zip(p.pick(common[:20], 4), p.pick(common[20:60], 4)):
        p.add("exclusion", "%s -%s" % (a, b))
    for i in order[:300]:
        if p.count("filter") >= 3:
            break
        ws = [w for w in h.titles[i] if _nounish(w)]
        if ws and h.rubrics[i]:
            p.add("filter", p.rng.choice(ws), rubric=h.rubrics[i])
    for i in order[300:600]:
        if p.count("filter") >= 5:
            break
        ws = [w for w in h.titles[i] if _nounish(w)]
        try:
            day = dt.date.fromisoformat(h.dates[i])
        except ValueError:
            continue
        if ws:
            window = {"from": str(day - dt.timedelta(days=30)), "to": str(day + dt.timedelta(days=30))}
            p.add("filter", p.rng.choice(ws), **window)
    for w in p.pick(common[:10], 2):
        p.add("page-2", w, page="2")
    p.add("no-match", "шпальтозаврами")
    p.add("no-match", "квазібандурист гіперсмерековий")
    # What the search box asks while a reader types: the first four letters of each one-word query, and of the
    # second word after the first of each two-word query.
    for q in [q for q in p.out if q.cls == "word"]:
        p.out.append(_suggestion(q.shown[:4]))
    for q in [q for q in p.out if q.cls == "two-words"][:6]:
        first, second = q.shown.split(" ", 1)
        p.out.append(_suggestion(first + " " + second[:4]))
    for cls, words in (("common", frequent), ("rare", once)):
        p.out += [Query(cls, q.shown, q.path) for q in p.out if q.cls == "word" and q.shown in words]
    return p.out


def _suggestion(typed: str) -> Query:
    return Query("suggest", typed + "…", "/search/suggest?" + urllib.parse.urlencode({"q": typed}, quote_via=urllib.parse.quote))


def queries_from_corpus(corpus: Path, headlines: int = 3000) -> list[Query]:
    """The queries for the first `headlines` lines of the JSON Lines file `corpus`."""
    with corpus.open(encoding="utf-8") as f:
        lines = [line for _, line in zip(range(headlines), f)]
    return make_queries(lines)


def write_tsv(queries: list[Query], path: Path) -> None:
    """Writes "class<TAB>query as typed<TAB>path" lines (the format of the shell version's file)."""
    path.write_text("".join(f"{q.cls}\t{q.shown}\t{q.path}\n" for q in queries), encoding="utf-8")


if __name__ == "__main__":
    # `head -n 3000 corpus.jsonl | python3 bench/search_queries.py > search-queries.tsv`: what bench.py does.
    import sys

    for q in make_queries(sys.stdin):
        print(f"{q.cls}\t{q.shown}\t{q.path}")
