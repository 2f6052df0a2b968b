#!/usr/bin/env python3
"""Checks Demo/reference.jsonl against the reference page it was made from.

    python3 Demo/check_reference.py [--reference PATH] [--jsonl PATH]

The reference is the "Експрес" article page as text (default: ../shared/reference/express-article-page.txt
next to the repository, i.e. /work/shared/reference/…; override with --reference or $SHPALTA_REFERENCE).

What is checked:
  * every line is JSON; 28 lines; ids unique; required fields present;
    published_at carries the right Europe/Kyiv offset and names the same instant as published_at_utc;
    every `photo` file exists in Demo/photos/;
  * line 1 (the long article): title = the page's headline; lede = the first paragraph; every further
    paragraph of the article appears, verbatim and in order, as a <p>/<h2> block of body_html (after
    stripping tags), except the two direct quotes, which must appear (without their quotation marks)
    as <blockquote><p>…</p><cite>…</cite></blockquote> naming the speaker; the inline photo is a
    <figure> at the start of the body credited "Фото: telegram.org"; no text in body_html that the
    page does not have, apart from the figure's caption; no CTA ("Підписуйтесь…") or "Автор:" line;
  * lines 2–28: the 27 feed items in the page's order: rubric, photo credit (or, for the items that
    have a headline instead of a photo, title = that headline and no photo), teaser verbatim, and the
    day/month of published_at = the date printed under the item; newest first.
Exits non-zero with a list of problems; prints "N passed, 0 failed" when all is well.
"""
import argparse
import datetime as dt
import html
import json
import os
import re
import sys
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_REFERENCE = os.environ.get(
    "SHPALTA_REFERENCE",
    os.path.normpath(os.path.join(HERE, "..", "..", "shared", "reference", "express-article-page.txt")),
)
DATE_LINE = re.compile(r"^\d\d\.\d\d$")
QUOTE_PARA = re.compile(r'^["“«](?P<quote>.+?)["”»],?\s*[–—-]\s*(?P<tail>.+?)\.?$')
CREDIT_PREFIXES = ("Фото", "Скрін")


# ---------------------------------------------------------------------------------------------
# The reference page
# ---------------------------------------------------------------------------------------------

def parse_reference(path):
    lines = [l.strip() for l in open(path, encoding="utf-8").read().splitlines()]
    title = lines[0]
    article, i = [], 1
    while not lines[i].startswith("Підписуйтесь"):
        if lines[i]:
            article.append(lines[i])
        i += 1
    cta = lines[i]
    i += 1
    while not lines[i].startswith("Автор:"):
        i += 1
    author = lines[i][len("Автор:"):].strip()
    feed, block = [], []
    for l in lines[i + 1:]:
        if not l:
            continue
        if DATE_LINE.match(l):
            rubric, second, teaser = block  # rubric, credit-or-headline, teaser
            item = {"rubric": rubric, "teaser": teaser, "date": l}
            if second.startswith(CREDIT_PREFIXES):
                item["photo_credit"] = second
            else:
                item["headline"] = second
            feed.append(item)
            block = []
        else:
            block.append(l)
    # block now holds the trailing "показати більше"
    lede = article[0]
    credits = [p for p in article[1:] if p.startswith("Фото")]
    paras = [p for p in article[1:] if not p.startswith("Фото")]
    return {"title": title, "lede": lede, "credits": credits, "paras": paras, "cta": cta,
            "author": author, "feed": feed}


# ---------------------------------------------------------------------------------------------
# body_html as blocks
# ---------------------------------------------------------------------------------------------

class Blocks(HTMLParser):
    """Top-level blocks of simple article HTML: ("p"|"h2", text), ("blockquote", text, cite),
    ("figure", src, alt, caption, credit)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.stack, self.buf = [], [], []
        self.cur = None
        self.stray = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not self.stack and tag in ("p", "h2"):
            self.cur = [tag, ""]
        elif not self.stack and tag == "blockquote":
            self.cur = ["blockquote", "", ""]
        elif not self.stack and tag == "figure":
            self.cur = ["figure", "", "", "", ""]
        elif tag == "img" and self.cur and self.cur[0] == "figure":
            self.cur[1], self.cur[2] = a.get("src", ""), a.get("alt", "")
            return  # void element
        elif not self.stack:
            self.stray.append("<%s> at top level" % tag)
        self.stack.append(tag)
        self.buf = []

    def handle_endtag(self, tag):
        if tag == "img":
            return
        text = norm("".join(self.buf))
        if self.cur:
            kind = self.cur[0]
            if kind in ("p", "h2") and tag == kind:
                self.cur[1] = text
            elif kind == "blockquote" and tag == "p":
                self.cur[1] = text
            elif kind == "blockquote" and tag == "cite":
                self.cur[2] = text
            elif kind == "figure" and tag == "cite":
                self.cur[4] = text
                self.cur[3] = norm(self.cur[3])
            elif kind == "figure" and tag == "figcaption":
                pass
        if self.stack:
            self.stack.pop()
        if not self.stack and self.cur:
            self.blocks.append(tuple(self.cur))
            self.cur = None
        self.buf = []

    def handle_data(self, data):
        if not self.stack:
            if data.strip():
                self.stray.append("text outside any block: %r" % data.strip()[:60])
            return
        if self.cur and self.cur[0] == "figure" and self.stack[-1] == "figcaption":
            self.cur[3] += data
            return
        self.buf.append(data)


def norm(s):
    return re.sub(r"\s+", " ", html.unescape(s)).strip()


def blocks_of(body_html):
    p = Blocks()
    p.feed(body_html)
    p.close()
    return p.blocks, p.stray


def strip_tags(s):
    return norm(re.sub(r"<[^>]+>", " ", s))


# ---------------------------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------------------------

def _last_sunday(year, month):
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def kyiv_offset_hours(utc):
    """Europe/Kyiv (EET/EEST, EU rules) offset at the aware UTC datetime `utc`."""
    u = utc.replace(tzinfo=None)
    start = dt.datetime.combine(_last_sunday(u.year, 3), dt.time(1, 0))
    end = dt.datetime.combine(_last_sunday(u.year, 10), dt.time(1, 0))
    return 3 if start <= u < end else 2


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

REQUIRED = ("id", "title", "teaser", "body_html", "rubric", "rubric_slug", "tags", "tag_slugs",
            "author", "author_login", "published_at", "published_at_utc", "lede", "featured", "breaking")
RUBRIC_SLUGS = {"Подробиці": "podrobytsi", "Люди і проблеми": "liudy-i-problemy", "Спорт": "sport",
                "Cпорт": "sport"}  # the page spells Спорт with a Latin C


class Checker:
    def __init__(self):
        self.passed, self.failed = 0, []

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed.append(what)
        return cond


def check(ref_path, jsonl_path):
    c = Checker()
    ref = parse_reference(ref_path)
    photos_dir = os.path.join(os.path.dirname(os.path.abspath(jsonl_path)), "photos")

    raw = open(jsonl_path, encoding="utf-8").read()
    c.ok(raw.endswith("\n"), "file ends with a newline")
    lines = raw.splitlines()
    rows = []
    for n, l in enumerate(lines, 1):
        try:
            rows.append(json.loads(l))
        except ValueError as e:
            c.ok(False, "line %d is not JSON: %s" % (n, e))
            rows.append({})
    c.ok(len(lines) == 1 + len(ref["feed"]) == 28, "28 lines (1 article + %d feed items), got %d"
         % (len(ref["feed"]), len(lines)))
    ids = [r.get("id") for r in rows]
    c.ok(len(set(ids)) == len(ids) and all(isinstance(i, int) for i in ids), "ids unique ints")

    # --- every line -------------------------------------------------------------------------
    for n, r in enumerate(rows, 1):
        where = "line %d" % n
        missing = [k for k in REQUIRED if k not in r]
        c.ok(not missing, "%s: missing %s" % (where, missing))
        c.ok("slug" not in r, "%s: no slug (the importer makes it)" % where)
        c.ok(isinstance(r.get("tags"), list) and 1 <= len(r["tags"]) <= 3
             and len(r["tags"]) == len(r.get("tag_slugs", [])), "%s: 1–3 tags with slugs" % where)
        for s in r.get("tag_slugs", []):
            c.ok(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s or ""), "%s: bad tag slug %r" % (where, s))
        c.ok(re.fullmatch(r"[a-z]+(\.[a-z]+)+", r.get("author_login", "")), "%s: author_login" % where)
        c.ok(RUBRIC_SLUGS.get(r.get("rubric")) == r.get("rubric_slug"), "%s: rubric slug" % where)
        try:
            local = dt.datetime.fromisoformat(r["published_at"])
            utc = dt.datetime.fromisoformat(r["published_at_utc"].replace("Z", "+00:00"))
            c.ok(r["published_at_utc"].endswith("Z") and local.utcoffset() is not None,
                 "%s: published_at has an offset, published_at_utc ends in Z" % where)
            c.ok(local == utc, "%s: published_at and published_at_utc are the same instant" % where)
            c.ok(local.utcoffset() == dt.timedelta(hours=kyiv_offset_hours(utc)),
                 "%s: published_at offset is Europe/Kyiv's" % where)
        except (KeyError, ValueError, AttributeError) as e:
            c.ok(False, "%s: bad dates: %s" % (where, e))
        if "photo" in r:
            c.ok(os.path.isfile(os.path.join(photos_dir, r["photo"])), "%s: photo %s exists" % (where, r["photo"]))
            c.ok(bool(r.get("photo_alt")), "%s: photo has photo_alt" % where)
        blocks, stray = blocks_of(r.get("body_html", ""))
        c.ok(not stray, "%s: body_html has stray content: %s" % (where, stray))
        for b in blocks:
            if b[0] == "figure":
                c.ok(os.path.isfile(os.path.join(photos_dir, b[1])), "%s: inline image %s exists" % (where, b[1]))

    if not rows:
        return c

    # --- line 1: the article ----------------------------------------------------------------
    a = rows[0]
    c.ok(a.get("title") == ref["title"], "line 1: title = the page's headline")
    c.ok(a.get("lede") == ref["lede"], "line 1: lede = the first paragraph")
    c.ok(a.get("photo_credit") == ref["credits"][0] == "Фото: telegram.org", "line 1: photo_credit")
    c.ok(a.get("author") == ref["author"] and a.get("author_login") == "olena.kovalska", "line 1: author")
    c.ok(a.get("rubric") == "Подробиці" and a.get("featured") is True, "line 1: rubric, featured")
    c.ok(a.get("published_at") == "2024-06-18T10:15:00+03:00", "line 1: published_at")
    body = a.get("body_html", "")
    c.ok(ref["cta"] not in strip_tags(body) and "Підписуйтесь" not in body, "line 1: no CTA in body")
    c.ok("Автор:" not in body, "line 1: no author line in body")
    blocks, _ = blocks_of(body)
    c.ok(bool(blocks) and blocks[0][0] == "figure", "line 1: body starts with the inline <figure>")
    figures = [b for b in blocks if b[0] == "figure"]
    c.ok(len(figures) == 1 and figures[0][4] == ref["credits"][1] and figures[0][2] and figures[0][3],
         "line 1: one figure with alt, caption and <cite>%s</cite>" % ref["credits"][1])
    # every paragraph of the page, in order
    text_blocks = [b for b in blocks if b[0] != "figure"]
    full_text = norm(a.get("lede", "") + " " + strip_tags(body))
    c.ok(len(text_blocks) == len(ref["paras"]),
         "line 1: %d text blocks for %d paragraphs of the page" % (len(text_blocks), len(ref["paras"])))
    for k, para in enumerate(ref["paras"]):
        got = text_blocks[k] if k < len(text_blocks) else ("missing", "")
        m = QUOTE_PARA.match(para)
        if m and got[0] == "blockquote":
            quote = m.group("quote").rstrip(" .,")
            c.ok(got[1].rstrip(" .") == quote, "line 1: paragraph %d: quote %r… verbatim in a blockquote"
                 % (k + 1, quote[:40]))
            # the attribution tail ("заявив Путін", "раніше заявив радник … Михайло Подоляк"): the
            # speaker's surname and title must be in <cite>; the verb and "раніше" are not kept (the cite format is fixed)
            tail_words = [w for w in re.findall(r"\w+", m.group("tail")) if w not in ("заявив", "раніше")]
            c.ok(got[2] and all(w in got[2] for w in tail_words),
                 "line 1: paragraph %d: <cite>%s</cite> names %s" % (k + 1, got[2], tail_words))
        else:
            c.ok(got[0] in ("p", "h2") and got[1] == para,
                 "line 1: paragraph %d verbatim as <p>/<h2>: %r…" % (k + 1, para[:50]))
        # and, independently of the structure: each sentence is in lede + body text
        body_para = norm(para)
        if m:
            body_para = m.group("quote").rstrip(" .,")
        for sent in re.split(r"(?<=[.!?])\s+(?=[А-ЯІЇЄҐA-Z\"«])", body_para):
            c.ok(sent.rstrip(".") in full_text, "line 1: sentence in lede/body text: %r…" % sent[:50])
    c.ok(norm(ref["lede"]) in full_text, "line 1: lede text present")
    h2 = [b[1] for b in blocks if b[0] == "h2"]
    c.ok(len(h2) == 2, "line 1: two <h2>")
    c.ok(sum(1 for b in blocks if b[0] == "blockquote") == 2, "line 1: two blockquotes")

    # --- lines 2…: the feed -----------------------------------------------------------------
    prev = None
    for k, item in enumerate(ref["feed"]):
        n = k + 2
        if n > len(rows):
            break
        r = rows[n - 1]
        where = "line %d" % n
        c.ok(r.get("teaser") == item["teaser"], "%s: teaser verbatim" % where)
        c.ok(r.get("lede") == item["teaser"], "%s: lede = teaser" % where)
        c.ok(r.get("rubric") == item["rubric"], "%s: rubric as printed (%r)" % (where, item["rubric"]))
        if "headline" in item:
            c.ok(r.get("title") == item["headline"], "%s: title = the page's headline" % where)
            c.ok("photo" not in r and "photo_credit" not in r, "%s: no photo, no credit" % where)
        else:
            c.ok(r.get("photo_credit") == item["photo_credit"], "%s: photo_credit %r" % (where, item["photo_credit"]))
            c.ok("photo" in r, "%s: has a photo" % where)
        try:
            local = dt.datetime.fromisoformat(r["published_at"])
        except (KeyError, ValueError):
            continue
        c.ok(local.strftime("%d.%m") == item["date"], "%s: published on %s" % (where, item["date"]))
        c.ok(local.year == 2026, "%s: published in 2026" % where)
        c.ok(prev is None or local < prev, "%s: newer items first" % where)
        prev = local
        blocks, _ = blocks_of(r.get("body_html", ""))
        c.ok(3 <= sum(1 for b in blocks if b[0] == "p") <= 5 and sum(1 for b in blocks if b[0] == "h2") <= 1
             and all(b[0] in ("p", "h2") for b in blocks), "%s: 3–5 <p>, at most one <h2>" % where)
    feed = rows[1:]
    c.ok(1 <= sum(1 for r in feed if r.get("breaking") is True) <= 2, "feed: 1–2 breaking")
    c.ok(sum(1 for r in feed if r.get("featured") is True) == 3, "feed: 3 featured")
    c.ok(3 <= len({r.get("author_login") for r in feed}) <= 5, "feed: 3–5 authors")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", default=DEFAULT_REFERENCE)
    ap.add_argument("--jsonl", default=os.path.join(HERE, "reference.jsonl"))
    args = ap.parse_args()
    c = check(args.reference, args.jsonl)
    for f in c.failed:
        print("FAIL:", f)
    print("%d passed, %d failed" % (c.passed, len(c.failed)))
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
