"""What the benchmark reads from Shpalta's HTML: the article to measure, the next feed page, search hits.

Line-based on purpose, like the grep and awk of the shell version: the templates put each element the
benchmark looks for on a line of its own.
"""

from __future__ import annotations

import re


def more_href(html: str) -> str:
    """The href of the first <a class="more" ...> (the "показати більше" link), with &amp; decoded."""
    link = re.search(r'<a [^>\n]*class="more"[^>\n]*>', html)
    href = re.search(r'href="([^"]*)"', link.group(0)) if link else None
    return href.group(1).replace("&amp;", "&") if href else ""


def first_article(news_html: str) -> str:
    """The link of the first item of the feed on /news (the article page the benchmark measures)."""
    feed = news_html.find('<ol class="feed"')
    if feed < 0:
        return ""
    start = news_html.rfind("\n", 0, feed) + 1
    item = re.search(r"<li[^>\n]*data-id=.*", news_html[start:])
    href = re.search(r'href="(/news/[^"]*)"', item.group(0)) if item else None
    return href.group(1) if href else ""


def count_hits(html: str) -> tuple[int, bool]:
    """Results on a search page (<li data-id="/news/..."> lines in the results list) and whether a
    "show more" link follows the list."""
    hits, inside, after, more = 0, False, 0, False
    for line in html.splitlines():
        if '<ol class="feed search-results"' in line:
            inside = True
        if inside and re.search(r'<li[^>]*data-id="/news/', line):
            hits += 1
        if inside and "</ol>" in line:
            inside, after = False, 2
        if after > 0:
            more = more or 'class="more"' in line
            after -= 1
    return hits, more
