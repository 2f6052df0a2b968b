#!/usr/bin/python3
"""Browser tests for Shpalta: a real server, a real (headless) Chromium, what a reader sees.

    /usr/bin/python3 tests/e2e/run.py            (from the repository root; `make test-e2e` does this)

Uses Debian's python3-selenium, /usr/bin/chromium and /usr/bin/chromedriver; no network, no display.
Starts its own server on a free port with a fresh temporary data directory (the demo content plus the
50-article sample corpus), runs the tests, stops the server and removes the directory, whatever happens.
Screenshots of the home and article pages (390x844 and 1280x900) go to tests/e2e/screenshots/.

The Content API test (test_z, run last: its stateful phase edits the demo's stories through the Admin API)
needs .venv/bin/st and .venv/bin/openapi-spec-validator, and the accessibility test
(test_p) axe-core from the axe-core-python package in .venv (`make test-e2e` installs them from PyPI). The newsroom test (test_g) adds a journalist and an editor with `shpalta user add` while the server runs,
gives each their own browser (driver(person=...)) and plays issue #3: write, upload a photo, save, submit
for review; take over the lock and publish; the journalist's tab shows #lock-lost and a save posted anyway
is refused; readers see the story. It waits for one lock heartbeat (15 s) and saves newsroom-*.png.

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
    ("call to action", "Підписуйтесь на сторінку"),
    ("byline", "Автор: Олена Ковальська"),
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
        self.database = os.path.join(self.dir, "db.sqlite")
        self.media_dir = os.path.join(self.dir, "media")
        self.proc = None

    def start(self):
        cmd = [
            BIN, "serve", "--port", str(self.port),
            "--database", self.database,
            "--media-dir", self.media_dir,
            "--demo", "--demo-dir", DEMO_DIR, "--demo-corpus", CORPUS,
        ]
        # The API's per-key limit is for the open internet; the contract test sends thousands of requests.
        env = dict(os.environ, SHPALTA_API_RATE_LIMIT="1000000")
        log("$ (cd %s && %s)" % (ROOT, " ".join(cmd)))
        self.logfile = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.logfile, stderr=subprocess.STDOUT,
            start_new_session=True, env=env,
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

    def add_user(self, email, name, role, password):
        """Adds a newsroom account with the CLI, against the running server's database."""
        cmd = [BIN, "user", "add", "--database", self.database, "--media-dir", self.media_dir,
               "--email", email, "--name", name, "--role", role, "--password-stdin"]
        r = subprocess.run(cmd, cwd=ROOT, input=password + "\n", capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("%s -> status %d:\n%s%s" % (" ".join(cmd[:3]), r.returncode, r.stdout, r.stderr))

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


def driver(javascript=True, person=None):
    """The shared browser with (or without) JavaScript; with `person`, that person's own browser: a
    separate session with its own profile and cookies, as on another computer."""
    key = person or ("js" if javascript else "nojs")
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
        if person:
            opts.set_capability("unhandledPromptBehavior", "ignore")  # a test answers dialogs itself
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


# Newsroom helpers: several people, each in their own browser.

PHOTO = os.path.join(DEMO_DIR, "photos", "photo-03.jpg")


def click(d, element):
    """Clicks `element` after centring it (chromedriver would scroll it under the editor's sticky save bar)."""
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def wait_for_path(d, pattern, timeout=WAIT):
    """Waits until the browser is on a page whose path (and query) matches `pattern` and it has loaded;
    returns the match."""
    def on_page():
        m = re.fullmatch(pattern, path_of(d.current_url))
        return m if m and d.execute_script("return document.readyState") == "complete" else None
    return wait_until(on_page, timeout=timeout, message="a page matching %s (now at %s)" % (pattern, d.current_url))


def response_status(d):
    """The HTTP status of the page the browser shows (Navigation Timing's responseStatus)."""
    return d.execute_script(
        "var n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null")


def newsroom_login(d, email, password):
    from selenium.webdriver.common.by import By

    load(d, "/admin/login")
    d.find_element(By.NAME, "email").send_keys(email)
    d.find_element(By.NAME, "password").send_keys(password)
    click(d, d.find_element(By.CSS_SELECTOR, "form[action='/admin/login'] button[type=submit]"))
    wait_for_path(d, r"/admin")


def wait_for_editor(d):
    """Waits until editor.js has turned the body into block cards."""
    from selenium.webdriver.common.by import By

    wait_until(lambda: d.find_elements(By.CSS_SELECTOR, "#editor-form .ed-blocklist > .ed-blk"),
               message="the block editor")


def block_cards(d):
    from selenium.webdriver.common.by import By

    return d.find_elements(By.CSS_SELECTOR, ".ed-blocklist > .ed-blk")


def json_body(d):
    """The editor's body blocks as the form would post them."""
    import json

    return json.loads(d.execute_script("return document.getElementById('body-json').value") or "[]")


def screenshot(d, name, full_height=False):
    """tests/e2e/screenshots/NAME.png of the viewport (or of the whole page, up to 2400 px high)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    file = os.path.join(SCREENSHOTS, name + ".png")
    if full_height:
        width, height = d.execute_script("return [window.innerWidth, window.innerHeight]")
        set_viewport(d, width, min(2400, d.execute_script("return document.documentElement.scrollHeight")))
        d.save_screenshot(file)
        set_viewport(d, width, height)
    else:
        d.save_screenshot(file)
    return file


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

    def test_m_search_suggestions(self):
        """Typing in the header's search box shows rubrics, topics and headlines; arrows and Enter open one."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        d = driver(person="suggest")
        load(d, "/")
        box = d.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
        box.click()
        box.send_keys("Путін Півн")
        wait_until(lambda: d.execute_script(
            "var b = document.querySelector('form.search .suggest-box'); return b && !b.hidden && "
            "b.querySelectorAll('a').length > 0"), message="suggestions under the box")
        self.assertEqual(box.get_attribute("aria-expanded"), "true")
        links = d.find_elements(By.CSS_SELECTOR, "form.search .suggest-box a")
        self.assertTrue(any("Путін" in a.text for a in links), [a.text for a in links])
        screenshot(d, "search-suggestions")
        box.send_keys(Keys.ARROW_DOWN)
        focused = d.switch_to.active_element
        self.assertEqual(focused.tag_name, "a")
        target = path_of(focused.get_attribute("href"))
        focused.send_keys(Keys.ENTER)
        wait_for_path(d, re.escape(target) + "$")
        # Escape closes them; a word that is nowhere shows none.
        box = d.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
        box.send_keys("Держприк")
        wait_until(lambda: d.execute_script(
            "var b = document.querySelector('form.search .suggest-box'); return b && !b.hidden"),
            message="topic suggestions")
        self.assertIn("Тема:", d.find_element(By.CSS_SELECTOR, "form.search .suggest-box").text)
        box.send_keys(Keys.ESCAPE)
        wait_until(lambda: d.execute_script("return document.querySelector('form.search .suggest-box').hidden"),
                   message="suggestions closed")
        self.assertEqual(js_errors(d), [], "JavaScript errors in the console")

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

    def test_n_article_beside_latest_news(self):
        """Desktop: the latest news run beside the story and stay in view; their "показати більше" keeps the
        story's address. Phones and tablets: one column, no sideways scrolling, every rubric of the menu in view."""
        from selenium.webdriver.common.by import By

        path = article_path()
        d = driver()
        set_viewport(d, 1280, 900)
        load(d, path)
        geometry = ("var s = document.querySelector('article.story').getBoundingClientRect(),"
                    "    c = document.querySelector('.latest.side').getBoundingClientRect();"
                    "return {storyLeft: s.left, storyRight: s.right, storyTop: s.top, storyBottom: s.bottom,"
                    "        sideLeft: c.left, sideTop: c.top, sideBottom: c.bottom};")
        g = d.execute_script(geometry)
        self.assertGreaterEqual(g["sideLeft"], g["storyRight"] + 24, "the news column beside the story: %r" % g)
        self.assertLess(abs(g["sideTop"] - g["storyTop"]), 80, "the column starts beside the headline: %r" % g)
        d.execute_script("window.scrollTo(0, 2500)")
        wait_until(lambda: d.execute_script("return window.scrollY") >= 2000, message="scrolled")
        g = d.execute_script(geometry)
        self.assertTrue(0 <= g["sideTop"] < 60 and g["sideBottom"] <= 900 + 1,
                        "the column stays in view while the story scrolls: %r" % g)
        before = len(feed_ids(d))
        link = d.find_element(By.CSS_SELECTOR, ".latest.side a.more")
        d.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", link)
        link.click()
        wait_until(lambda: len(feed_ids(d)) > before, message="more news in the column")
        self.assertEqual(path_of(d.current_url), path, "the story's address after 'показати більше'")
        self.assertEqual(js_errors(d), [], "JavaScript errors in the console")
        for width in (320, 390, 768):
            set_viewport(d, width, 800)
            for page in ("/", path):
                load(d, page)
                m = d.execute_script(
                    "var e = document.documentElement, links = document.querySelectorAll('nav.rubrics a'),"
                    "    out = [];"
                    "links.forEach(function (a) { var r = a.getBoundingClientRect();"
                    "  if (r.left < 0 || r.right > window.innerWidth + 0.5 || r.height === 0) out.push(a.textContent); });"
                    "return {scrollWidth: e.scrollWidth, innerWidth: window.innerWidth, links: links.length,"
                    "        outOfView: out};")
                self.assertLessEqual(m["scrollWidth"], m["innerWidth"], "%s at %d px: %r" % (page, width, m))
                self.assertGreater(m["links"], 5, "the rubric menu at %d px" % width)
                self.assertEqual(m["outOfView"], [], "rubrics out of view at %d px on %s" % (width, page))
            g = d.execute_script(geometry)
            self.assertGreaterEqual(g["sideTop"], g["storyBottom"], "one column at %d px: %r" % (width, g))

    def test_o_article_on_paper(self):
        """Printed, an article shows its headline, date, photos with credits, byline and address, and nothing of
        the site around it."""
        path = article_path()
        d = driver()
        set_viewport(d, 1280, 900)
        load(d, path)
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            shown = d.execute_script(
                "function seen(s) { var e = document.querySelector(s);"
                "  return !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0; }"
                "var names = ['article.story h1', 'article.story .dateline time', 'article.story .lede',"
                "  'article.story figure.cover img', 'article.story figure.cover .credit', 'article.story .byline',"
                "  'article.story .print-url', 'nav.rubrics', 'form.search', '.latest.side', 'aside.share',"
                "  'aside.cta', 'footer.colophon'];"
                "var out = {}; names.forEach(function (n) { out[n] = seen(n); });"
                "out.url = (document.querySelector('article.story .print-url') || {}).textContent;"
                "return out;")
        finally:
            d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        for name in ("article.story h1", "article.story .dateline time", "article.story .lede",
                     "article.story figure.cover img", "article.story figure.cover .credit", "article.story .byline",
                     "article.story .print-url"):
            self.assertTrue(shown[name], "%s on paper: %r" % (name, shown))
        for name in ("nav.rubrics", "form.search", ".latest.side", "aside.share", "aside.cta", "footer.colophon"):
            self.assertFalse(shown[name], "%s left off paper: %r" % (name, shown))
        self.assertTrue(shown["url"].endswith(path), "the story's address on paper: %r" % shown["url"])
        self.assertFalse(d.execute_script(
            "var e = document.querySelector('article.story .print-url'); return getComputedStyle(e).display !== 'none'"),
            "the address is for paper only")

    def test_p_accessibility(self):
        """axe-core (from PyPI's axe-core-python) finds nothing serious or critical on the reader's pages (home, a
        story, the news, a rubric, search, at desktop and phone widths) and the newsroom's list and editor."""
        import glob
        import secrets
        from selenium.webdriver.common.by import By

        found = glob.glob(os.path.join(ROOT, ".venv", "lib", "python3*", "site-packages", "axe_core_python",
                                       "axe.min.js"))
        self.assertTrue(found, "axe-core is missing: `make test-e2e` installs axe-core-python into .venv")
        with open(found[0], encoding="utf-8") as f:
            axe = f.read()
        d = driver(person="axe")
        d.set_script_timeout(60)

        def check(path):
            load(d, path)
            d.execute_script(axe)
            violations = d.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                "  done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, help: v.help,"
                "    nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })}; })); },"
                "  function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });")
            bad = [v for v in violations if v["impact"] in ("serious", "critical")]
            self.assertEqual(bad, [], "%s: serious or critical accessibility findings" % path)

        rubric = "/rubric/podrobytsi"
        for width, height in ((1280, 900), (390, 844)):
            set_viewport(d, width, height)
            for path in ("/", article_path(), "/news", rubric, "/search?q=%D0%9F%D1%83%D1%82%D1%96%D0%BD"):
                check(path)
        email, password = "axe.%s@example.com" % secrets.token_hex(3), secrets.token_urlsafe(12)
        server.add_user(email, "Перевірка доступності", "editor", password)
        set_viewport(d, 1280, 900)
        newsroom_login(d, email, password)
        check("/admin")
        story = d.find_element(By.CSS_SELECTOR, "table a[href^='/admin/articles/']").get_attribute("href")
        check(path_of(story))
        check("/admin/articles/new")

    def test_q_awkward_stories_lay_out(self):
        """A story with no photo and a 300-character headline, one with 40 tags, and a rubric with no stories yet
        each lay out at 320, 390, 768 and 1280 px: nothing scrolls sideways, the headline and the tags stay in
        the page, the empty rubric says it has no stories."""
        import json
        import tempfile
        from selenium.webdriver.common.by import By

        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
        words = ["Надзвичайно", "довгий", "заголовок", "про", "реконструкцію", "Личаківського", "цвинтаря", "і",
                 "вулиці", "Городоцької"]
        title = ""
        while len(title) < 300:
            title = (title + " " + words[len(title.split()) % len(words)]).strip()
        title = title[:300].rstrip()
        stories = [
            {"id": "e2e-long", "title": title, "lede": "Лід довгої історії без фото.", "rubric": "Подробиці",
             "body_html": "<p>Текст без жодного фото.</p>", "published_at_utc": now},
            {"id": "e2e-tags", "title": "Історія з сорока тегами", "lede": "Сорок тегів під текстом.",
             "rubric": "Подробиці", "tags": ["Тег номер %d для перевірки переносу" % n for n in range(1, 41)],
             "body_html": "<p>Текст.</p>", "published_at_utc": now},
            {"id": "e2e-draft", "title": "Чернетка нової рубрики", "rubric": "Порожня рубрика", "status": "draft",
             "body_html": "<p>Ще не вийшла.</p>"},
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            for story in stories:
                f.write(json.dumps(story, ensure_ascii=False) + "\n")
            path = f.name
        r = subprocess.run([BIN, "import", "jsonl", path, "--database", server.database, "--media-dir",
                            server.media_dir], cwd=ROOT, capture_output=True, text=True, timeout=120)
        os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        d = driver()
        # The server follows the import's change events within a quarter second. (Asked over HTTP: the shared
        # browser keeps the /news it saw earlier for the page's max-age, as any browser does.)
        def find_new():
            status, body = http_get(server.port, "/news")
            long_link = re.search(r'href="(/news/[^"?]+)">Надзвичайно довгий', body)
            tags_link = re.search(r'href="(/news/[^"?]+)">Історія з сорока тегами<', body)
            if status == 200 and long_link and tags_link:
                return {"long": long_link.group(1), "tags": tags_link.group(1)}
            return None
        found = wait_until(find_new, message="the imported stories in the feed")
        long_path, tags_path = found["long"], found["tags"]
        rubric_path = "/rubric/porozhnia-rubryka"
        for width, height in ((320, 700), (390, 844), (768, 1024), (1280, 900)):
            set_viewport(d, width, height)
            for path in (long_path, tags_path, rubric_path, "/"):
                load(d, path)
                m = d.execute_script(
                    "var e = document.documentElement, h = document.querySelector('h1');"
                    "var r = h ? h.getBoundingClientRect() : null;"
                    "var tags = Array.prototype.map.call(document.querySelectorAll('.tags li'), function (li) {"
                    "  return li.getBoundingClientRect().right; });"
                    "return {scrollWidth: e.scrollWidth, innerWidth: window.innerWidth,"
                    "        h1Right: r ? r.right : null, h1Height: r ? r.height : null,"
                    "        widestTag: tags.length ? Math.max.apply(null, tags) : 0, tagCount: tags.length};")
                self.assertLessEqual(m["scrollWidth"], m["innerWidth"], "%s at %d px scrolls sideways: %r"
                                     % (path, width, m))
                if path != "/":
                    self.assertIsNotNone(m["h1Right"], "%s has no h1" % path)
                    self.assertLessEqual(m["h1Right"], m["innerWidth"] + 0.5, "%s at %d px: %r" % (path, width, m))
                if path == tags_path:
                    self.assertEqual(m["tagCount"], 40)
                    self.assertLessEqual(m["widestTag"], m["innerWidth"] + 0.5, "tags at %d px: %r" % (width, m))
                if path == rubric_path:
                    self.assertIn("Порожня рубрика", d.find_element(By.TAG_NAME, "h1").text)
                    self.assertTrue(d.find_elements(By.CSS_SELECTOR, ".feed-empty"), "no empty-feed message")
                    self.assertEqual(response_status(d), 200)

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

    def test_g_newsroom_lock_takeover(self):
        """Issue #3: a journalist writes and submits a story, an editor takes it over and publishes it, the
        journalist's open tab learns it lost the lock and cannot save over it, readers see the story."""
        import secrets
        import sqlite3
        from selenium.webdriver.common.by import By

        started = time.monotonic()
        stamp = time.strftime("%H:%M:%S")
        journalist = ("olena.%s@example.com" % secrets.token_hex(3), "Олена Ковальська", secrets.token_urlsafe(12))
        editor = ("ivan.%s@example.com" % secrets.token_hex(3), "Іван Петренко", secrets.token_urlsafe(12))
        headline = "Міськрада ухвалила бюджет на зиму: перевірка редакції о %s" % stamp
        lede = "Депутати проголосували за бюджет після тригодинного засідання."
        paragraph = "Засідання почалося о десятій ранку й тривало понад три години."
        subheading = "Що змінюється для киян"
        quote, attribution = "Ми нарешті маємо гроші на ремонт укриттів.", "Марія Шевчук, депутатка"
        alt, caption, credit = "Зала засідань міськради", "Засідання міськради", "Фото: Олена Ковальська"
        late_word = "ВИПРАВЛЕНО"
        # Checks of what the server stored from the person's input are reported at the end, so that one
        # wrong detail (a credit, the refused save) does not hide how the rest of the flow went.
        problems = []

        def expect(ok, message):
            if not ok:
                problems.append(message)
                log("    PROBLEM: %s" % message)
        # 1. Two accounts, added with the CLI while the server runs
        server.add_user(journalist[0], journalist[1], "journalist", journalist[2])
        server.add_user(editor[0], editor[1], "editor", editor[2])

        # 2. The journalist writes a story in the block editor
        j = driver(person="journalist")
        set_viewport(j, 1280, 900)
        newsroom_login(j, journalist[0], journalist[2])
        click(j, wait_until(lambda: j.find_element(By.LINK_TEXT, "Новий матеріал"), message="link Новий матеріал"))
        wait_for_path(j, r"/admin/articles/new")
        wait_for_editor(j)
        j.find_element(By.ID, "f-title").send_keys(headline)
        j.find_element(By.ID, "f-lede").send_keys(lede)
        first = block_cards(j)[0]
        self.assertEqual(first.get_attribute("data-type"), "paragraph", "the first block of a new story")
        rich = first.find_element(By.CSS_SELECTOR, ".ed-rich[contenteditable=true]")
        click(j, rich)
        rich.send_keys(paragraph)
        click(j, j.find_element(By.CSS_SELECTOR, ".ed-add-end button[data-add=heading]"))
        block_cards(j)[-1].find_element(By.CSS_SELECTOR, "input.ed-heading-input").send_keys(subheading)
        click(j, j.find_element(By.CSS_SELECTOR, ".ed-add-end button[data-add=quote]"))
        card = block_cards(j)[-1]
        self.assertEqual(card.get_attribute("data-type"), "quote")
        card.find_element(By.TAG_NAME, "textarea").send_keys(quote)
        card.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys(attribution)
        # a photo block opens the media library; upload a photo there (it is picked for the block)
        click(j, j.find_element(By.CSS_SELECTOR, ".ed-add-end button[data-add=image]"))
        dialog = wait_until(lambda: j.find_element(By.CSS_SELECTOR, "dialog#media-dialog[open]"),
                            message="the media library dialog")
        upload_box = j.find_element(By.ID, "md-upload-box")
        if not upload_box.get_property("open"):  # starts closed on narrow screens
            click(j, upload_box.find_element(By.TAG_NAME, "summary"))
        wait_until(lambda: j.find_element(By.ID, "md-alt").is_displayed(), message="the upload form")
        j.find_element(By.ID, "md-file").send_keys(PHOTO)
        wait_until(lambda: "photo-03.jpg" in j.find_element(By.ID, "md-chosen").text, message="the chosen file")
        j.find_element(By.ID, "md-alt").send_keys(alt)
        j.find_element(By.ID, "md-caption").send_keys(caption)
        j.find_element(By.ID, "md-credit").send_keys(credit)
        click(j, j.find_element(By.ID, "md-upload-button"))
        wait_until(lambda: dialog.get_attribute("open") is None, timeout=20,
                   message="the dialog to close after the upload (message: %r)"
                   % j.find_element(By.ID, "md-msg").text)
        card = block_cards(j)[-1]
        self.assertEqual(card.get_attribute("data-type"), "image")
        thumb = wait_until(lambda: card.find_element(By.CSS_SELECTOR, ".ed-img-thumb img"), message="thumbnail")
        shown = card.find_element(By.CSS_SELECTOR, ".ed-img-thumb").text
        expect(thumb.get_attribute("alt") == alt,
               "uploaded photo: alt text %r, typed %r" % (thumb.get_attribute("alt"), alt))
        expect(credit in shown, "uploaded photo: the image block shows %r, credit typed %r" % (shown, credit))
        body = json_body(j)
        self.assertEqual([list(b)[0] for b in body], ["paragraph", "heading", "quote", "image"], body)
        # save: the draft is created and the editor opens it
        click(j, j.find_element(By.ID, "ed-save"))
        article_id = wait_for_path(j, r"/admin/articles/(\d+)\?notice=created", timeout=20).group(1)
        wait_for_editor(j)
        self.assertEqual(j.find_element(By.ID, "f-title").get_property("value"), headline)
        self.assertEqual([c.get_attribute("data-type") for c in block_cards(j)],
                         ["paragraph", "heading", "quote", "image"], "blocks after saving")
        wait_until(lambda: block_cards(j)[3].find_element(By.CSS_SELECTOR, ".ed-img-thumb img"),
                   message="the photo in the saved story's image block")
        screenshot(j, "newsroom-editor-journalist", full_height=True)
        # submit for review, and keep the editor open (it takes the lock again)
        click(j, j.find_element(By.CSS_SELECTOR, "#moves-form button[name=to][value=review]"))
        wait_for_path(j, r"/admin/articles/%s\?notice=moved" % article_id)
        self.assertTrue(j.find_elements(By.CSS_SELECTOR, ".ed-status-line .nr-review"), "status 'review' after submitting")
        load(j, "/admin/articles/%s" % article_id)
        wait_for_editor(j)
        self.assertFalse(j.find_elements(By.CSS_SELECTOR, ".ed-locked"), "the journalist's own lock panel")
        # the page's script takes the lock with a POST (a page load never takes it)
        wait_until(lambda: j.find_element(By.CSS_SELECTOR, "#editor-form input[name=lock]").get_attribute("value"),
                   message="the journalist's tab to hold the lock token")
        self.assertTrue(j.find_element(By.ID, "ed-save").is_enabled())

        # 3. The editor, in another browser, finds the story locked, takes it over and publishes it
        e = driver(person="editor")
        set_viewport(e, 1280, 900)
        newsroom_login(e, editor[0], editor[2])
        load(e, "/admin/articles/%s" % article_id)
        panel = wait_until(lambda: e.find_element(By.CSS_SELECTOR, "section.ed-locked"), message="the lock panel")
        self.assertIn(journalist[1], panel.find_element(By.CSS_SELECTOR, ".ed-locked-who").text)
        self.assertFalse(e.find_elements(By.ID, "editor-form"), "an editor form next to the lock panel")
        screenshot(e, "newsroom-lock-panel-editor")
        click(e, panel.find_element(By.CSS_SELECTOR, "form.ed-takeover button[type=submit]"))
        wait_for_path(e, r"/admin/articles/%s\?notice=lock_taken" % article_id)
        taken_at = time.monotonic()
        wait_for_editor(e)
        self.assertIn("Ви забрали редагування", e.find_element(By.ID, "ed-notice").text)
        self.assertFalse(e.find_elements(By.CSS_SELECTOR, ".ed-locked"), "lock panel after the takeover")
        self.assertEqual(e.find_element(By.ID, "f-title").get_property("value"), headline)
        click(e, e.find_element(By.CSS_SELECTOR, "#moves-form button[name=to][value=published]"))
        wait_for_path(e, r"/admin/articles/%s\?notice=moved" % article_id)
        self.assertTrue(e.find_elements(By.CSS_SELECTOR, ".ed-status-line .nr-published"), "status 'published'")

        # 4. The journalist's tab learns at its next heartbeat (every 15 s) that the lock is gone
        banner = wait_until(lambda: j.find_element(By.ID, "lock-lost"), timeout=40, message="the #lock-lost banner")
        waited = time.monotonic() - taken_at
        log("    #lock-lost appeared %.1f s after the takeover" % waited)
        self.assertLessEqual(waited, 20, "the banner should appear within a heartbeat (15 s) of the takeover")
        self.assertTrue(banner.is_displayed())
        self.assertEqual(banner.get_attribute("role"), "alert")
        self.assertIn(editor[1], banner.text)
        self.assertFalse(j.find_element(By.ID, "ed-save").is_enabled(), "Save after the lock was lost")
        self.assertTrue(all(not b.is_enabled() for b in j.find_elements(By.CSS_SELECTOR, "#moves-form button")),
                        "workflow buttons after the lock was lost")
        screenshot(j, "newsroom-lock-lost-journalist")
        # a save posted anyway (bypassing the disabled button) must be refused with the lock notice
        title_input = j.find_element(By.ID, "f-title")
        title_input.send_keys(" " + late_word)
        j.execute_script("HTMLFormElement.prototype.submit.call(document.getElementById('editor-form'))")

        def left_editor():
            try:  # "leave the page?" for the unsaved change: yes
                j.switch_to.alert.accept()
            except Exception:
                pass
            return not j.find_elements(By.ID, "lock-lost") and j.execute_script(
                "return document.readyState") == "complete"
        wait_until(left_editor, timeout=20, message="the response to the save posted after the takeover")
        refused = {
            "status": response_status(j),
            "path": path_of(j.current_url),
            "h1": " / ".join(h.text for h in j.find_elements(By.TAG_NAME, "h1")),
            "notice": " ".join(n.text for n in j.find_elements(By.ID, "ed-notice")),
        }
        log("    save after the takeover: %r" % refused)
        expect(refused["status"] == 423 and refused["path"] == "/admin/articles/%s" % article_id
               and ("Редагування забрав(ла) %s" % editor[1]) in refused["notice"],
               "the save posted after the takeover should answer 423 on /admin/articles/%s with the notice "
               "'Редагування забрав(ла) %s …'; got %r" % (article_id, editor[1], refused))
        screenshot(j, "newsroom-save-refused-journalist")
        with sqlite3.connect("file:%s?mode=ro" % server.database, uri=True) as db:
            stored_title, stored_status = db.execute(
                "SELECT title, status FROM articles WHERE id = ?", (int(article_id),)).fetchone()
        self.assertEqual((stored_title, stored_status), (headline, "published"), "the stored story")

        # 5. A reader (no session) sees the story first in the feed, with its blocks and the photo credit. A new
        # reader: the shared reader's browser may keep /news from an earlier test (public, max-age=60).
        r = driver(person="newsroom-reader")
        load(r, "/news")
        items = r.find_elements(By.CSS_SELECTOR, "ol.feed > li")
        self.assertTrue(items, "items in /news")
        link = items[0].find_element(By.CSS_SELECTOR, "h3 a[href^='/news/']")
        self.assertEqual(link.text, headline, "the first item of /news")
        href = path_of(link.get_attribute("href"))
        load(r, href)
        main = r.find_element(By.TAG_NAME, "main")
        self.assertEqual([h.text for h in r.find_elements(By.TAG_NAME, "h1") if h.is_displayed()], [headline])
        self.assertNotIn(late_word, main.text, "the word typed after the takeover is public")
        self.assertIn(lede, main.text)
        self.assertIn(paragraph, main.text)
        self.assertIn(subheading, [h.text for h in main.find_elements(By.TAG_NAME, "h2")], "the subheading <h2>")
        quotes = [q.text for q in main.find_elements(By.TAG_NAME, "blockquote")]
        self.assertTrue(any(quote in q and attribution in q for q in quotes), "the quote with attribution: %r" % quotes)
        figures = [f.text for f in main.find_elements(By.TAG_NAME, "figure")]
        expect(credit in main.text, "public page: the photo credit %r is not shown; figures show %r" % (credit, figures))
        alts = [i.get_attribute("alt") for i in main.find_elements(By.TAG_NAME, "img")]
        expect(alt in alts, "public page: no photo with alt %r; alts: %r" % (alt, alts))
        for who, b in (("journalist", j), ("editor", e), ("reader", r)):
            self.assertEqual(js_errors(b), [], "JavaScript errors in the %s's browser" % who)

        log("    newsroom flow took %.1f s" % (time.monotonic() - started))
        self.assertEqual(problems, [], "\n".join(problems))

    def test_l_photo_library(self):
        """Issue #12: an editor uploads a photo as a story's cover, finds it in the media library, sets its focal
        point (a click on the photo) and its credit, publishes the story, and a reader gets a <picture> with a
        srcset in WebP and JPEG, the new credit, and the 16:9 crop around the new point for social networks."""
        import secrets
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        editor = ("photo.%s@example.com" % secrets.token_hex(3), "Марта Фоторедакторка", secrets.token_urlsafe(12))
        server.add_user(editor[0], editor[1], "editor", editor[2])
        mark = secrets.token_hex(3)
        headline = "Нічний Львів з вежі ратуші %s" % mark
        alt, caption = "Дахи Львова вночі з вежі ратуші", "Львів уночі, фотопроба %s" % mark
        first_credit, credit = "Фото: редакція", "Фото: Марта Фоторедакторка"
        d = driver(person="photo-editor")
        set_viewport(d, 1280, 900)
        newsroom_login(d, editor[0], editor[2])
        # 1. A new story; its cover is uploaded in the media dialog (the file picker)
        load(d, "/admin/articles/new")
        wait_for_editor(d)
        d.find_element(By.ID, "f-title").send_keys(headline)
        d.find_element(By.ID, "f-lede").send_keys("Фотограф піднявся на вежу ратуші після заходу сонця.")
        click(d, wait_until(lambda: d.find_element(By.ID, "cover-pick"), message="the cover's pick button"))
        dialog = wait_until(lambda: d.find_element(By.CSS_SELECTOR, "dialog#media-dialog[open]"),
                            message="the media dialog")
        box = d.find_element(By.ID, "md-upload-box")
        if not box.get_property("open"):
            click(d, box.find_element(By.TAG_NAME, "summary"))
        d.find_element(By.ID, "md-file").send_keys(PHOTO)
        d.find_element(By.ID, "md-alt").send_keys(alt)
        d.find_element(By.ID, "md-caption").send_keys(caption)
        d.find_element(By.ID, "md-credit").send_keys(first_credit)
        click(d, d.find_element(By.ID, "md-upload-button"))
        wait_until(lambda: dialog.get_attribute("open") is None, timeout=20,
                   message="the dialog to close after the upload (%r)" % d.find_element(By.ID, "md-msg").text)
        self.assertTrue(d.find_element(By.ID, "cover-media").get_attribute("value"), "the cover chosen")
        click(d, d.find_element(By.ID, "ed-save"))
        article_id = wait_for_path(d, r"/admin/articles/(\d+)\?notice=created", timeout=20).group(1)

        # 2. The library finds it by a word of its caption, in another case
        load(d, "/admin/media?q=" + urllib.parse.quote("ФОТОПРОБА " + mark))
        items = d.find_elements(By.CSS_SELECTOR, ".ml-item a")
        self.assertEqual(len(items), 1, "one photo found by its caption")
        click(d, items[0])
        media_path = wait_for_path(d, r"/admin/media/\d+$").group(0)
        used = [a.text for a in d.find_elements(By.CSS_SELECTOR, ".ml-usages a")]
        self.assertIn(headline, used, "where used")
        # 3. The focal point: a click on the photo, a quarter across and a third down
        image = d.find_element(By.ID, "ml-image")
        wait_until(lambda: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
                   message="the photo to load")
        width, height = image.size["width"], image.size["height"]
        ActionChains(d).move_to_element_with_offset(image, int(width * (0.25 - 0.5)), int(height * (0.33 - 0.5))) \
            .click().perform()
        fx = float(d.find_element(By.ID, "focal_x").get_attribute("value"))
        fy = float(d.find_element(By.ID, "focal_y").get_attribute("value"))
        self.assertTrue(abs(fx - 25) < 2 and abs(fy - 33) < 2, "the point clicked: %s, %s" % (fx, fy))
        self.assertTrue(d.find_element(By.ID, "ml-marker").is_displayed(), "the marker on the photo")
        credit_input = d.find_element(By.ID, "credit")
        credit_input.clear()
        credit_input.send_keys(credit)
        screenshot(d, "media-library-photo")
        click(d, d.find_element(By.CSS_SELECTOR, "#ml-form button[type=submit]"))
        wait_for_path(d, re.escape(media_path) + r"\?notice=media_saved")
        code = "%02d%02d" % (round(fx), round(fy))
        # The background cuts the crops around the point (every 2 s); the page shows them when made.
        def crops_made():
            load(d, media_path)
            return all(("-f%s." % code) in c.get_attribute("src") for c in d.find_elements(By.CSS_SELECTOR, ".ml-crop")) \
                and d.find_elements(By.CSS_SELECTOR, ".ml-crop")
        wait_until(crops_made, timeout=30, message="crops around the new focal point")

        # 4. Publish
        load(d, "/admin/articles/%s" % article_id)
        wait_for_editor(d)
        click(d, d.find_element(By.CSS_SELECTOR, "#moves-form button[name=to][value=published]"))
        wait_for_path(d, r"/admin/articles/%s\?notice=moved" % article_id)

        # 5. A reader: a <picture> with WebP and JPEG srcsets, the credit, the crop for social networks. A reader
        # of their own: the shared reader's browser may show /news from its HTTP cache (public, max-age=60,
        # stale-while-revalidate=60) as it was when an earlier test loaded it.
        r = driver(person="photo-reader")
        set_viewport(r, 390, 844)
        load(r, "/news")
        link = r.find_element(By.CSS_SELECTOR, "ol.feed > li h3 a[href^='/news/']")
        self.assertEqual(link.text, headline)
        load(r, path_of(link.get_attribute("href")))
        cover = r.find_element(By.CSS_SELECTOR, "main picture img")
        srcset = cover.get_attribute("srcset") or ""
        self.assertRegex(srcset, r"/media/[^ ]+\.o\d+\.jpg \d+w", "the cover's JPEG srcset")
        webp = r.find_element(By.CSS_SELECTOR, "main picture source[type='image/webp']").get_attribute("srcset")
        self.assertRegex(webp or "", r"\.o\d+\.webp \d+w", "the cover's WebP srcset")
        self.assertTrue(cover.get_attribute("width") and cover.get_attribute("height"), "width and height set")
        self.assertIn(credit, r.find_element(By.TAG_NAME, "main").text)
        self.assertNotIn(first_credit, r.find_element(By.TAG_NAME, "main").text)
        wait_until(lambda: r.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", cover),
                   message="the cover to load")
        chosen = r.execute_script("return arguments[0].currentSrc", cover)
        self.assertRegex(chosen, r"\.o\d+\.(webp|jpg)$", "a rendition is what the phone loads")
        og = r.find_element(By.CSS_SELECTOR, "meta[property='og:image']").get_attribute("content")
        self.assertIn("-f%s." % code, og, "og:image is the crop around the focal point")
        screenshot(r, "media-public-article-phone")

        # 6. The library takes uploads too (a photo for later), and opens the new photo's page
        load(d, "/admin/media")
        box = wait_until(lambda: d.find_element(By.ID, "ml-upload-box"), message="the library's upload box")
        self.assertTrue(box.is_displayed(), "the upload box is shown with JavaScript")
        click(d, box.find_element(By.TAG_NAME, "summary"))
        d.find_element(By.ID, "ml-file").send_keys(PHOTO)
        later_alt = "Площа Ринок зранку %s" % mark
        d.find_element(By.ID, "ml-alt").send_keys(later_alt)
        d.find_element(By.ID, "ml-credit").send_keys(credit)
        click(d, d.find_element(By.ID, "ml-upload-button"))
        wait_for_path(d, r"/admin/media/\d+\?notice=media_uploaded", timeout=20)
        self.assertEqual(d.find_element(By.ID, "alt").get_attribute("value"), later_alt)
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, "p.nr-ok"), "the upload notice")
        for who, b in (("editor", d), ("reader", r)):
            self.assertEqual(js_errors(b), [], "JavaScript errors in the %s's browser" % who)

    def test_i_feeds_parse(self):
        """Issue #10: every RSS feed (the site's, and each rubric's, tag's and author's in the sitemaps) parses
        with feedparser without a complaint; every sitemap parses as XML and keeps to the protocol's limits."""
        import xml.etree.ElementTree as ET
        import feedparser

        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "n": "http://www.google.com/schemas/sitemap-news/0.9"}

        def fetch(path):
            status, body = http_get(server.port, path, timeout=30)
            self.assertEqual(status, 200, path)
            return body

        index = ET.fromstring(fetch("/sitemap.xml").encode("utf-8"))
        parts = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
        self.assertTrue(any(p.endswith("/sitemap-news.xml") for p in parts), parts)
        feeds = ["/rss.xml"]
        for part in parts:
            path = urllib.parse.urlsplit(part).path
            urlset = ET.fromstring(fetch(path).encode("utf-8"))
            locs = [loc.text for loc in urlset.findall("s:url/s:loc", ns)]
            self.assertLessEqual(len(locs), 1000 if "news" in path else 50000, path)
            for url in urlset.findall("s:url", ns):
                published = url.find("n:news/n:publication_date", ns)
                if published is not None:
                    self.assertRegex(published.text, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
            if path.endswith(("rubrics.xml", "tags.xml", "authors.xml")):
                feeds += [urllib.parse.urlsplit(loc).path + "/rss.xml" for loc in locs[:15]]
        log("    %d sitemap parts, %d feeds" % (len(parts), len(feeds)))
        for path in feeds:
            parsed = feedparser.parse(fetch(path))
            self.assertFalse(parsed.bozo, "%s: %s" % (path, parsed.get("bozo_exception")))
            self.assertTrue(parsed.feed.get("title"), path)
            self.assertTrue(parsed.entries, "%s has items" % path)
            for entry in parsed.entries:
                self.assertTrue(entry.get("published_parsed"), "%s: a date feedparser reads" % path)
                self.assertTrue(entry.get("id") and entry.get("link") and entry.get("title"), path)
                self.assertTrue(entry.get("authors"), "%s: %s has its bylines" % (path, entry.title))

    def test_z_content_api_contract(self):
        """Issue #11: the OpenAPI document passes openapi-spec-validator, and schemathesis, run against the live
        server with a key made by `shpalta key add`, finds no 500 and no response that disagrees with the
        document (every check, coverage, fuzzing and stateful phases). Named to run last: its stateful phase edits
        and publishes stories through the Admin API, which the other tests' demo pages must not see."""
        tools = os.path.join(ROOT, ".venv", "bin")
        spec = os.path.join(ROOT, "Sources", "NewsWeb", "API", "openapi.yaml")
        r = subprocess.run([os.path.join(tools, "openapi-spec-validator"), spec], capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # The served JSON is the same document.
        status, served = http_get(server.port, "/api/v1/openapi.json", timeout=10)
        self.assertEqual(status, 200)
        served_path = os.path.join(server.dir, "openapi.json")
        with open(served_path, "w", encoding="utf-8") as f:
            f.write(served)
        r = subprocess.run([os.path.join(tools, "openapi-spec-validator"), served_path], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run([BIN, "key", "add", "--database", server.database, "--media-dir", server.media_dir,
                            "--name", "schemathesis"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        key = re.search(r"Key: (shp_c_\S+)", r.stdout).group(1)
        # The Admin API with an administrator's token, so that every operation can succeed (stateful: what a create
        # answers is then read, saved and moved). The roles' limits are the Swift suites' subject.
        server.add_user("api-admin@example.com", "Адміністраторка API", "administrator", "a long password for the API")
        r = subprocess.run([BIN, "key", "token", "--database", server.database, "--media-dir", server.media_dir,
                            "--email", "api-admin@example.com", "--name", "schemathesis"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        token = re.search(r"Token: (shp_a_\S+)", r.stdout).group(1)
        # A schema-valid request can still break a newsroom rule that a schema cannot say (a slug taken by another
        # story, a photo that does not exist, bytes that are no image, one's own role): 403, 404, 409, 415 or 422,
        # each documented, are expected answers to valid data.
        with open(os.path.join(server.dir, "schemathesis.toml"), "w", encoding="utf-8") as f:
            f.write('[checks.positive_data_acceptance]\n'
                    'expected-statuses = ["2xx", "401", "403", "404", "409", "415", "422", "429", "503"]\n'
                    # A body over the Admin API's 2 MB is refused with its documented 413.
                    '[checks.negative_data_rejection]\n'
                    'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", '
                    '"428", "429"]\n')
        started = time.monotonic()
        r = subprocess.run(
            [os.path.join(tools, "st"), "run", server.base + "/api/v1/openapi.json", "-H", "X-Api-Key: " + key,
             "-H", "Authorization: Bearer " + token, "--checks", "all", "--max-examples", "60",
             "--seed", "20261203", "--no-color"],
            cwd=server.dir, capture_output=True, text=True, timeout=900)
        log("    schemathesis took %.1f s: %s" % (
            time.monotonic() - started, (r.stdout.strip().splitlines() or ["(no output)"])[-1]))
        # Its report, each line cut short (a generated body can be megabytes long).
        report = "\n".join(line[:400] for line in r.stdout.splitlines())
        self.assertEqual(r.returncode, 0, "schemathesis found problems:\n" + report[-12000:] + r.stderr[-2000:])

    def test_j_structured_data(self):
        """Issue #10: the reference article's structured data as a crawler extracts it (extruct): NewsArticle with
        every byline a Person, dates with offsets, the section, the photo credit; og:image with its size."""
        import extruct

        status, html = http_get(server.port, "/news/" + ARTICLE_SLUG)
        self.assertEqual(status, 200)
        data = extruct.extract(html, base_url=server.base, syntaxes=["json-ld", "opengraph"], uniform=True)
        graph = []
        for item in data["json-ld"]:
            graph += item.get("@graph", [item])
        news = [g for g in graph if g.get("@type") == "NewsArticle"]
        self.assertEqual(len(news), 1, graph)
        article = news[0]
        authors = article["author"]
        self.assertGreaterEqual(len(authors), 1)
        for person in authors:
            self.assertEqual(person["@type"], "Person")
            self.assertIn("/author/", person["url"])
        offset = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"
        self.assertRegex(article["datePublished"], offset)
        if "dateModified" in article:
            self.assertRegex(article["dateModified"], offset)
        self.assertTrue(article["articleSection"].startswith("Подробиці"), article["articleSection"])  # test_h renames it
        image = article["image"][0]
        self.assertEqual(image["creditText"], "Фото: telegram.org")
        self.assertTrue(any(g.get("@type") == "BreadcrumbList" for g in graph))
        og = {}
        for item in data["opengraph"]:
            og.update({k: v for k, v in item.items() if isinstance(v, str)})
        self.assertEqual(og.get("@type"), "article", og)  # extruct (uniform) gives og:type as @type
        self.assertTrue(og.get("og:image", "").startswith("http"), og)
        self.assertTrue(og.get("og:image:width", "").isdigit() and og.get("og:image:height", "").isdigit(), og)
        for path, kind in (("/", "WebSite"), ("/rubric/podrobytsi", "CollectionPage")):
            status, page = http_get(server.port, path)
            found = [i.get("@type") for i in extruct.extract(page, syntaxes=["json-ld"])["json-ld"]]
            self.assertIn(kind, found, path)

    def test_h_administration_forms(self):
        """Issue #9: the rubrics and people forms, posted by a real browser (repeated id[]/name[]/position[]
        and rubrics[] fields), are decoded as typed; the renamed rubric is in the readers' menu at once."""
        import secrets
        from selenium.webdriver.common.by import By

        admin = ("admin.%s@example.com" % secrets.token_hex(3), "Адміністраторка", secrets.token_urlsafe(12))
        editor = ("sport.%s@example.com" % secrets.token_hex(3), "Редактор спорту", secrets.token_urlsafe(12))
        server.add_user(admin[0], admin[1], "administrator", admin[2])
        server.add_user(editor[0], editor[1], "editor", editor[2])
        a = driver(person="administrator")
        set_viewport(a, 1280, 900)
        newsroom_login(a, admin[0], admin[2])
        # rename the first rubric and move it to the end of the menu
        load(a, "/admin/rubrics")
        first_name = a.find_element(By.CSS_SELECTOR, "input[name='name[]']")
        old = first_name.get_property("value")
        new = "%s (перевірка %d)" % (old, secrets.randbelow(9000) + 1000)
        first_name.clear()
        first_name.send_keys(new)
        position = a.find_element(By.CSS_SELECTOR, "input[name='position[]']")
        position.clear()
        position.send_keys("99")
        click(a, first_name.find_element(By.XPATH, "ancestor::form").find_element(
            By.CSS_SELECTOR, "button[type=submit]"))
        wait_for_path(a, r"/admin/rubrics\?notice=saved")
        screenshot(a, "newsroom-rubrics")
        r = driver(person="reader-of-the-menu")  # a browser of its own: nothing of "/" in its HTTP cache
        load(r, "/")
        menu = [link.get_attribute("textContent").strip() for link in r.find_elements(By.CSS_SELECTOR, "nav.rubrics a")]
        self.assertEqual(menu[-1:], [new], "the renamed rubric, last in the readers' menu: %r" % menu)
        # limit the editor to one rubric: tick its box on the people page
        load(a, "/admin/people")
        row = [tr for tr in a.find_elements(By.CSS_SELECTOR, "tr") if editor[0] in tr.text][0]
        click(a, row.find_element(By.CSS_SELECTOR, "details.nr-rubrics summary"))
        box = row.find_element(By.CSS_SELECTOR, "input[name='rubrics[]']")
        click(a, box)
        click(a, box.find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait_for_path(a, r"/admin/people\?notice=saved")
        row = [tr for tr in a.find_elements(By.CSS_SELECTOR, "tr") if editor[0] in tr.text][0]
        ticked = row.find_elements(By.CSS_SELECTOR, "input[name='rubrics[]']:checked")
        self.assertEqual(len(ticked), 1, "the editor's one rubric is ticked after saving")
        set_viewport(a, 390, 844)
        screenshot(a, "newsroom-people-phone", full_height=True)
        self.assertEqual(js_errors(a), [], "JavaScript errors in the administrator's browser")


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
