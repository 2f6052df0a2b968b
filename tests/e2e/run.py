#!/usr/bin/python3
"""Browser tests for Shpalta: a real server, a real (headless) Chromium, what a reader sees.

    /usr/bin/python3 tests/e2e/run.py            (from the repository root; `make test-e2e` does this)

Uses Debian's python3-selenium, /usr/bin/chromium and /usr/bin/chromedriver; no network, no display.
Starts its own server on a free port with a fresh temporary data directory (the demo content plus the
50-article sample corpus), runs the tests, stops the server and removes the directory, whatever happens.
Screenshots of the home and article pages (390x844 and 1280x900) go to tests/e2e/screenshots/.

Environment (all optional):
  SHPALTA_BIN      server binary            (default .build/debug/shpalta)
  SHPALTA_CORPUS   corpus for --demo-corpus (default ../shared/corpus/sample-50.jsonl)
  E2E_KEEP         keep the temporary data directory (prints its path)
  E2E_ONLY         run only tests whose name contains this string

The last line printed is "N passed, N failed"; the exit status is non-zero on any failure or error.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCREENSHOTS = os.path.join(HERE, "screenshots")
BIN = os.environ.get("SHPALTA_BIN", os.path.join(ROOT, ".build", "debug", "shpalta"))
CORPUS = os.environ.get(
    "SHPALTA_CORPUS", os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "sample-50.jsonl"))
)
DEMO_DIR = os.path.join(ROOT, "Demo")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
READY_TIMEOUT = 60
WAIT = 10  # seconds to wait for something to appear in the browser

# The long reference article (Demo/reference.jsonl, line 1) and what its page must show, in order.
ARTICLE_SLUG = "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu-vidomi-ofitsiina-i-taiemna-tsili-vizytu"
ARTICLE_AUTHOR_PAGE = "/author/olena-kovalska"
ARTICLE_TITLE = "Путін вперше за 24 роки відвідує Північну Корею: відомі офіційна і таємна цілі візиту"
ARTICLE_SEQUENCE = [
    ("rubric", "Подробиці"),
    ("headline", ARTICLE_TITLE),
    ("date", "18 червня 2024, 10:15"),
    ("lede", "На запрошення Кім Чен Ина"),
    ("photo credit", "Фото: telegram.org"),
    ("subheading", "Більше зброї для Росії: що потрібно Путіну"),
    ("byline", "Автор: Олена Ковальська"),
    ("call to action", "Підписуйтесь на сторінку"),
    ("latest news heading", "Останні новини"),
]

server = None  # the running Server, set in main()


def log(*args):
    print(*args, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=5):
    """(status, body) of GET http://127.0.0.1:port/path, without any proxy."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="shpalta-e2e-")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None

    def start(self):
        cmd = [
            BIN, "serve", "--port", str(self.port),
            "--database", os.path.join(self.dir, "db.sqlite"),
            "--media-dir", os.path.join(self.dir, "media"),
            "--demo", "--demo-dir", DEMO_DIR, "--demo-corpus", CORPUS,
        ]
        log("$ (cd %s && %s)" % (ROOT, " ".join(cmd)))
        self.logfile = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with status %s before it was ready" % self.proc.returncode)
            try:
                if http_get(self.port, "/", timeout=2)[0] == 200:
                    log("server ready at %s/ after %.1f s" % (self.base, READY_TIMEOUT - (deadline - time.monotonic())))
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("GET / did not answer 200 within %d s" % READY_TIMEOUT)

    def print_log(self):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError as e:
            text = "(no log: %s)" % e
        log("----- server log (%s) -----\n%s\n----- end of server log -----" % (self.log_path, text.rstrip()))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "logfile", None):
            self.logfile.close()

    def cleanup(self):
        if os.environ.get("E2E_KEEP"):
            log("kept %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# Browsers (created on first use, one with JavaScript and one without, shared by the tests)

_drivers = {}


def driver(javascript=True):
    key = "js" if javascript else "nojs"
    if key not in _drivers:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in (
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--lang=uk-UA",
            "--hide-scrollbars",  # overlay scrollbars, as on phones: the layout viewport is the whole window
            "--user-data-dir=" + os.path.join(server.dir, "chromium-" + key),
        ):
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if not javascript:
            opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(server.dir, "chromedriver-%s.log" % key))
        d = webdriver.Chrome(service=service, options=opts)
        d.set_page_load_timeout(30)
        d.set_script_timeout(10)
        _drivers[key] = d
    return _drivers[key]


def quit_drivers():
    for d in _drivers.values():
        try:
            d.quit()
        except Exception:
            pass
    _drivers.clear()


def set_viewport(d, width, height):
    """Resizes the window so that the page's viewport (window.innerWidth x innerHeight) is width x height."""
    d.set_window_size(width, height)
    for _ in range(3):
        iw, ih = d.execute_script("return [window.innerWidth, window.innerHeight]")
        if (iw, ih) == (width, height):
            return
        size = d.get_window_size()
        d.set_window_size(size["width"] + width - iw, size["height"] + height - ih)


def wait_until(fn, timeout=WAIT, message="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except Exception as e:  # stale elements while the page changes
            last = e
        time.sleep(0.05)
    raise AssertionError("timed out after %s s waiting for %s (last: %r)" % (timeout, message, last))


def load(d, path):
    d.get(server.base + path)
    wait_until(lambda: d.execute_script("return document.readyState") == "complete", message="page load")


def path_of(url):
    """'/news?after=X' of an absolute or relative URL."""
    p = urllib.parse.urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


def feed_ids(d):
    from selenium.webdriver.common.by import By

    return [li.get_attribute("data-id") for li in d.find_elements(By.CSS_SELECTOR, "ol.feed > li")]


def js_errors(d):
    """Console errors other than failed resource loads (e.g. the browser's own /favicon.ico request)."""
    try:
        entries = d.get_log("browser")
    except Exception:
        return []
    return [e["message"] for e in entries if e.get("level") == "SEVERE" and "Failed to load resource" not in e["message"]]


def article_path():
    """The reference article's URL: by its full slug if that exists, else the first item on its author's page."""
    status, _ = http_get(server.port, "/news/" + ARTICLE_SLUG)
    if status == 200:
        return "/news/" + ARTICLE_SLUG
    status, body = http_get(server.port, ARTICLE_AUTHOR_PAGE)
    if status != 200:
        raise AssertionError("GET %s -> %s" % (ARTICLE_AUTHOR_PAGE, status))
    for href, text in re.findall(r'<h3><a href="(/news/[^"]+)">([^<]*)</a>', body):
        if text.startswith("Путін вперше"):
            return href
    raise AssertionError("no link starting with 'Путін вперше' on %s" % ARTICLE_AUTHOR_PAGE)


def wait_for_images_in_view(d):
    """Waits until the images in the viewport are loaded, decoded and painted (they use decoding=async)."""
    wait_until(lambda: d.execute_script(
        "return Array.from(document.images).every(function (i) {"
        "  var r = i.getBoundingClientRect();"
        "  return r.top > window.innerHeight || r.bottom < 0 || i.complete; })"),
        message="images in the viewport")
    d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "var imgs = Array.from(document.images).filter(function (i) {"
        "  var r = i.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; });"
        "Promise.all(imgs.map(function (i) { return i.decode().catch(function () {}); })).then(function () {"
        "  requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); }); });")


# ---------------------------------------------------------------------------------------------------------


class Shpalta(unittest.TestCase):
    maxDiff = 4000

    def setUp(self):
        for d in _drivers.values():
            set_viewport(d, 1280, 900)

    def test_a_show_more_with_javascript(self):
        """Home page: "показати більше" appends 20 items twice, moves focus, updates the URL."""
        from selenium.webdriver.common.by import By

        d = driver()
        load(d, "/")
        ids = feed_ids(d)
        self.assertEqual(len(ids), 20, "items on the home page")
        for click in (1, 2):
            before = len(ids)
            link = d.find_element(By.CSS_SELECTOR, "a.more")
            self.assertEqual(link.text.strip(), "показати більше")
            href = path_of(link.get_attribute("href"))
            self.assertTrue(href.startswith("/news?after="), href)
            self.assertEqual(path_of(link.get_attribute("data-fragment")), href + "&partial=1")
            d.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
            link.click()
            wait_until(lambda: len(feed_ids(d)) > before and d.execute_script(
                "return !document.querySelector('ol.feed[aria-busy]')"), message="more items (click %d)" % click)
            ids = feed_ids(d)
            self.assertEqual(len(ids), before + 20, "items after click %d" % click)
            self.assertEqual(len(set(ids)), len(ids), "duplicate data-id after click %d" % click)
            self.assertTrue(all(ids), "an item without data-id")
            wait_until(lambda: path_of(d.current_url) == href, timeout=3, message="URL %s" % href)
            focus = d.execute_script(
                "var a = document.activeElement, li = document.querySelectorAll('ol.feed > li')[arguments[0]];"
                "return {tag: a && a.tagName, href: a && a.getAttribute('href'),"
                "        text: a && a.textContent.trim().slice(0, 80),"
                "        inFirstNew: !!(li && a && a.tagName === 'A' && li.contains(a)),"
                "        firstNew: li && li.getAttribute('data-id')};", before)
            self.assertTrue(focus["inFirstNew"], "focus after click %d should be a link in the first new item: %r"
                            % (click, focus))
        # the link is still there for the next page, and it points further than the URL we are on
        more = d.find_elements(By.CSS_SELECTOR, "a.more")
        self.assertEqual(len(more), 1, "one 'показати більше' link after two clicks")
        self.assertNotEqual(path_of(more[0].get_attribute("href")), path_of(d.current_url))
        self.assertEqual(js_errors(d), [], "JavaScript errors in the console")

    def test_b_show_more_without_javascript(self):
        """Without JavaScript "показати більше" is an ordinary link to the next page of 20 new items."""
        from selenium.webdriver.common.by import By

        d = driver(javascript=False)
        load(d, "/")
        seen = feed_ids(d)
        self.assertEqual(len(seen), 20, "items on the home page")
        for click in (1, 2):
            link = d.find_element(By.CSS_SELECTOR, "a.more")
            href = path_of(link.get_attribute("href"))
            self.assertTrue(href.startswith("/news?after="), href)
            old_html = d.find_element(By.TAG_NAME, "html")
            link.click()
            wait_until(lambda: path_of(d.current_url) == href and
                       d.execute_script("return document.readyState") == "complete",
                       message="navigation to %s" % href)
            self.assertNotEqual(old_html.id, d.find_element(By.TAG_NAME, "html").id, "no full page load")
            self.assertEqual(path_of(d.current_url), href)
            ids = feed_ids(d)
            self.assertEqual(len(ids), 20, "items on page %d (%s)" % (click + 1, href))
            repeated = set(ids) & set(seen)
            self.assertFalse(repeated, "items of page %d already shown earlier: %s" % (click + 1, sorted(repeated)))
            self.assertEqual(len(set(ids)), 20, "duplicates within page %d" % (click + 1))
            seen += ids

    def test_c_reference_article(self):
        """The reference article shows rubric, headline, date, lede, credit, subheading, byline, CTA, feed."""
        from selenium.webdriver.common.by import By

        path = article_path()
        d = driver()
        load(d, path)
        main = d.find_element(By.TAG_NAME, "main")
        text = main.text  # visible text only, as rendered (text-transform applied, hence casefold below)
        folded = text.casefold()
        pos = 0
        for what, expected in ARTICLE_SEQUENCE:
            i = folded.find(expected.casefold(), pos)
            self.assertNotEqual(i, -1, "%s %r not found (in order) in the visible text of %s after offset %d:\n%s"
                                % (what, expected, path, pos, text[pos:pos + 600]))
            pos = i + len(expected)
        h1 = d.find_elements(By.TAG_NAME, "h1")
        self.assertEqual([h.text for h in h1 if h.is_displayed()], [ARTICLE_TITLE], "the visible h1")
        self.assertIn(ARTICLE_TITLE, d.title, "the <title>")
        # after the CTA: a feed of latest news with visible items linking to articles
        items = d.find_elements(By.CSS_SELECTOR, "ol.feed > li")
        self.assertGreaterEqual(len(items), 10, "latest news items below the article")
        self.assertTrue(items[0].is_displayed())
        self.assertTrue(items[0].find_element(By.CSS_SELECTOR, "a[href^='/news/']").is_displayed())
        self.assertEqual(js_errors(d), [], "JavaScript errors in the console")

    def test_d_phone_width_no_horizontal_scroll(self):
        """At 360x740 neither the home page nor the article page scrolls sideways."""
        d = driver()
        set_viewport(d, 360, 740)
        for path in ("/", article_path()):
            load(d, path)
            wait_for_images_in_view(d)
            m = d.execute_script(
                "var e = document.documentElement, wide = [];"
                "document.querySelectorAll('body *').forEach(function (n) {"
                "  var r = n.getBoundingClientRect();"
                "  if (r.right > window.innerWidth + 0.5 && r.width > 0 && getComputedStyle(n).position !== 'fixed')"
                "    wide.push(n.tagName.toLowerCase() + (n.className ? '.' + String(n.className).replace(/ /g, '.') : '')"
                "              + ' right=' + Math.round(r.right));"
                "});"
                "return {scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, innerWidth: window.innerWidth,"
                "        wide: wide.slice(0, 10)};")
            self.assertEqual(m["innerWidth"], 360)
            self.assertLessEqual(m["scrollWidth"], m["innerWidth"],
                                 "%s scrolls horizontally at 360 px: %r" % (path, m))
            self.assertLessEqual(m["scrollWidth"], m["clientWidth"],
                                 "%s scrolls horizontally at 360 px: %r" % (path, m))

    def test_e_not_found(self):
        """/news/no-such-story: status 404 and a Ukrainian page with an h1 and a link home."""
        from selenium.webdriver.common.by import By

        status, body = http_get(server.port, "/news/no-such-story")
        self.assertEqual(status, 404)
        self.assertIn('<html lang="uk"', body)
        d = driver()
        load(d, "/news/no-such-story")
        h1 = d.find_element(By.CSS_SELECTOR, "main h1")
        self.assertTrue(h1.is_displayed())
        self.assertTrue(h1.text.strip(), "empty h1")
        self.assertRegex(h1.text, "[А-ЩЬЮЯҐЄІЇа-щьюяґєії]", "h1 is not Ukrainian: %r" % h1.text)
        self.assertRegex(d.find_element(By.TAG_NAME, "main").text, "404|не знайдено|Не знайдено")
        home = [a for a in d.find_elements(By.CSS_SELECTOR, "main a[href]")
                if path_of(a.get_attribute("href")) == "/" and a.is_displayed()]
        self.assertTrue(home, "a visible link home in the page's main content")

    def test_f_screenshots(self):
        """Screenshots of the home and article pages for humans: tests/e2e/screenshots/*.png."""
        d = driver()
        os.makedirs(SCREENSHOTS, exist_ok=True)
        pages = (("home", "/"), ("article", article_path()))
        for width, height in ((390, 844), (1280, 900)):
            set_viewport(d, width, height)
            for name, path in pages:
                load(d, path)
                wait_for_images_in_view(d)
                file = os.path.join(SCREENSHOTS, "%s-%dx%d.png" % (name, width, height))
                self.assertTrue(d.save_screenshot(file), file)
                self.assertGreater(os.path.getsize(file), 1000, file)
        log("screenshots in %s" % os.path.relpath(SCREENSHOTS, os.getcwd()))


# ---------------------------------------------------------------------------------------------------------


def main():
    global server
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromTestCase(Shpalta)
    only = os.environ.get("E2E_ONLY")
    if only:
        suite = unittest.TestSuite(t for t in suite if only in t.id())
    total = suite.countTestCases()

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)

    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    passed, failed = 0, total
    server = Server()
    try:
        try:
            server.start()
        except Exception as e:
            log("cannot start the server: %s" % e)
            server.print_log()
        else:
            result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
            failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
            passed = result.testsRun - failed - len(result.skipped)
            if failed:
                server.print_log()
    finally:
        quit_drivers()
        server.stop()
        server.cleanup()
    sys.stderr.flush()
    log("(%.1f s)" % (time.monotonic() - started))
    log("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
