"""Tests of what the benchmark reads from the HTML: `python3 -m unittest discover -s bench`."""

from __future__ import annotations

import unittest

from htmlscan import count_hits, first_article, more_href

NEWS = """<nav><a href="/news/not-this-one">menu</a></nav>
<div class="feed-box">
<ol class="feed">
<li class="item has-photo" data-id="/news/persha"><article><p class="kicker"><a href="/rubric/viina">Війна</a></p><h3><a href="/news/persha">Перша</a></h3></article></li>
<li class="item" data-id="/news/druha"><article><h3><a href="/news/druha">Друга</a></h3></article></li>
</ol>
<p class="more-wrap"><a class="more" href="/news?after=abc&amp;x=1" data-fragment="/news?after=abc&amp;partial=1" rel="next">показати більше</a></p>
"""

SEARCH = """<ol class="feed search-results">
<li class="item" data-id="/news/a"><article>
<h3><a href="/news/a">A</a></h3></article></li>
<li class="item" data-id="/news/b"><article><h3><a href="/news/b">B</a></h3></article></li>
</ol>
<p class="more-wrap"><a class="more" href="/search?q=x&amp;page=2" rel="next">показати більше</a></p>
"""


class HtmlScanTests(unittest.TestCase):
    """`first_article`, `more_href` and `count_hits` on pages shaped like the default theme's."""

    def test_first_article_is_the_first_feed_item(self) -> None:
        self.assertEqual(first_article(NEWS), "/news/persha")
        self.assertEqual(first_article("<p>no feed</p>"), "")

    def test_more_href_decodes_ampersands(self) -> None:
        self.assertEqual(more_href(NEWS), "/news?after=abc&x=1")
        self.assertEqual(more_href("<ol class=\"feed\"></ol>"), "")

    def test_count_hits_and_more_link(self) -> None:
        self.assertEqual(count_hits(SEARCH), (2, True))
        last_page = SEARCH.split("<p class=\"more-wrap\">")[0]
        self.assertEqual(count_hits(last_page), (2, False))
        self.assertEqual(count_hits('<ol class="feed search-results">\n</ol>\n'), (0, False))


if __name__ == "__main__":
    unittest.main()
