import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// RSS, sitemaps and robots.txt (issue #10), read with a real XML parser.
@Suite("Feeds and sitemaps")
struct SyndicationTests {
    @Test(
        "RSS: stable guids, RFC 822 dates with Kyiv's offset, every byline, categories, full text, photo and credit",
        arguments: TestEngine.available)
    func rss(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let page = try await client.page("/rss.xml")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "application/rss+xml; charset=utf-8")
            let feed = try XMLTree(page.body)
            let items = feed.all("item")
            #expect(items.count == 20)
            let first = try #require(items.first)
            #expect(first.first("pubDate")?.text.hasSuffix(" +0200") == true, "January in Kyiv is UTC+2")
            #expect(first.first("guid")?.attributes["isPermaLink"] == "false")
            #expect(first.first("link")?.text.hasPrefix("http") == true)
            #expect(!first.all("dc:creator").isEmpty && !first.all("category").isEmpty)
            #expect(first.first("content:encoded")?.text.contains("<p>") == true, "the whole text, as HTML")
            // A story with a photo: the photo, its size and credit.
            let pictured = try #require(items.first { $0.first("media:content") != nil })
            let media = try #require(pictured.first("media:content"))
            #expect(media.attributes["url"]?.hasPrefix("http") == true && media.attributes["width"] != nil)
            #expect(media.first("media:credit")?.text.isEmpty == false)
            // The guid stays when the address changes.
            let articles = ArticleRepository(database: database)
            let link = try #require(first.first("link")?.text)
            let story = try #require(try await articles.find(slug: String(link.split(separator: "/").last!)))
            let guid = first.first("guid")?.text
            var moved = story
            moved.slug = "nova-adresa-novyny"
            try await articles.save(moved)
            // (Written under the newsroom's feet, so no event evicts the cached feed: another address reads it anew.)
            let again = try XMLTree(try await client.page("/rss.xml?after-the-move").body).all("item").first {
                $0.first("link")?.text.hasSuffix("/news/nova-adresa-novyny") == true
            }
            #expect(again?.first("guid")?.text == guid)
            // Rubric, tag and author feeds; an unknown one is a 404.
            for path in ["/rubric/podrobytsi/rss.xml", "/tag/kyiv/rss.xml"] {
                let scoped = try await client.page(path)
                #expect(scoped.status == .ok, "\(path)")
                #expect(try XMLTree(scoped.body).first("channel")?.first("title")?.text.contains("—") == true)
            }
            for path in ["/rubric/nemaie/rss.xml", "/tag/nemaie/rss.xml", "/author/nemaie/rss.xml"] {
                #expect(try await client.page(path).status == .notFound, "\(path)")
            }
        }
    }

    @Test(
        "headlines and credits with &, <, ]]>, control characters and emoji make well-formed XML",
        arguments: TestEngine.available)
    func hostileText(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let fixtures = Fixtures(database: database)
            let (rubric, _, author) = try await fixtures.catalog()
            let media = try await MediaRepository(database: database).insert(
                Media(
                    file: "photo.jpg", mimeType: "image/jpeg", width: 1200, height: 800, caption: "Підпис <b>&</b>",
                    credit: "Фото: A&B <c> ]]> \u{1}", alt: "Опис"))
            let title = "Ціни & податки: <script>]]> \u{0001}\u{0008}😀"
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "tsiny", title: title, lede: "Лід ]]> & <", body: [.paragraph(spans: [Span("Текст & <i>")])],
                    rubricID: rubric.id, bylineIDs: [author.id!], coverMediaID: media.id, status: .published,
                    publishedAt: referenceEvening.addingTimeInterval(-3600), updatedAt: referenceEvening,
                    createdAt: referenceEvening))
            let clean = "Ціни & податки: <script>]]> 😀"
            let rss = try XMLTree(try await client.page("/rss.xml").body)
            #expect(rss.first("item")?.first("title")?.text == clean)
            #expect(rss.first("item")?.first("media:credit")?.text == "Фото: A&B <c> ]]> ")
            let news = try XMLTree(try await client.page("/sitemap-news.xml").body)
            #expect(news.first("news:title")?.text == clean)
            for path in ["/sitemap.xml", "/sitemaps/articles-1.xml", "/sitemaps/rubrics.xml", "/sitemaps/authors.xml"] {
                _ = try XMLTree(try await client.page(path).body)
            }
        }
    }

    @Test("an empty paper has valid, empty feeds and sitemaps", arguments: TestEngine.available)
    func empty(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, _ in
            #expect(try XMLTree(try await client.page("/rss.xml").body).all("item").isEmpty)
            #expect(try XMLTree(try await client.page("/sitemap-news.xml").body).all("url").isEmpty)
            #expect(try XMLTree(try await client.page("/sitemaps/articles-1.xml").body).all("url").isEmpty)
            #expect(try await client.page("/sitemaps/articles-2.xml").status == .notFound)
            let index = try XMLTree(try await client.page("/sitemap.xml").body).all("loc").map(\.text)
            #expect(index.contains { $0.hasSuffix("/sitemap-news.xml") })
            #expect(index.contains { $0.hasSuffix("/sitemaps/articles-1.xml") })
        }
    }

    @Test("Google News sitemap: the last 48 hours only, 1,000 a file, times with their offset, the paper's name")
    func newsSitemap() async throws {
        let clock = TestClock(referenceEvening)
        try await withWeb(.sqlite, demo: false, configure: { $0.clock = { clock.now } }) { web in
            try await buildApplication(web).test(.router) { client in
                let fixtures = Fixtures(database: web.database)
                // 1,001 stories a minute apart ending now, and one 49 hours old.
                try await fixtures.publish(1_001, start: referenceEvening, prefix: "fresh")
                try await fixtures.publish(1, start: referenceEvening.addingTimeInterval(-49 * 3600), prefix: "old")
                let first = try XMLTree(try await client.page("/sitemap-news.xml").body)
                let urls = first.all("url")
                #expect(urls.count == 1_000)
                #expect(urls.first?.first("loc")?.text.hasSuffix("/news/fresh-0") == true)
                #expect(first.first("news:name")?.text == web.settings.siteName)
                #expect(first.first("news:language")?.text == "uk")
                #expect(urls.first?.first("news:publication_date")?.text == "2026-01-22T20:00:00+02:00")
                let index = try XMLTree(try await client.page("/sitemap.xml").body).all("loc").map(\.text)
                let second = try #require(index.first { $0.hasSuffix("/sitemaps/news-2.xml") })
                let rest = try XMLTree(try await client.page(try #require(URL(string: second)?.path)).body)
                #expect(rest.all("loc").map { $0.text.split(separator: "/").last.map(String.init) } == ["fresh-1000"])
                #expect(!index.contains { $0.hasSuffix("/sitemaps/news-3.xml") })
                let all = try XMLTree(try await client.page("/sitemaps/articles-1.xml").body).all("loc").map(\.text)
                #expect(all.count == 1_002 && all.first?.hasSuffix("/news/old-0") == true, "oldest first, all of them")
                // 48 hours on, the newest story is the only one left; the cached sitemap expired on its own.
                clock.now = referenceEvening.addingTimeInterval(48 * 3600 - 30)
                let later = try XMLTree(try await client.page("/sitemap-news.xml").body).all("loc").map(\.text)
                #expect(later.count == 1 && later.first?.hasSuffix("/news/fresh-0") == true)
            }
        }
    }

    @Test(
        "publishing, editing and unpublishing show in the feeds and sitemaps on the next request",
        arguments: TestEngine.available)
    func freshness(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(database, "e@example.com", role: .editor)
            for path in ["/rss.xml", "/sitemap-news.xml", "/sitemaps/articles-1.xml", "/rubric/podrobytsi/rss.xml"] {
                _ = try await client.page(path)  // cached now
            }
            let id = try await client.createDraft("Свіжа новина для стрічок", as: editor)
            _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
            let slug = try #require(try await ArticleRepository(database: database).find(id: id)?.slug)
            #expect(try await client.page("/rss.xml").body.contains("Свіжа новина для стрічок"))
            #expect(try await client.page("/rubric/podrobytsi/rss.xml").body.contains("Свіжа новина для стрічок"))
            #expect(try await client.page("/sitemap-news.xml").body.contains("/news/\(slug)"))
            #expect(try await client.page("/sitemaps/articles-1.xml").body.contains("/news/\(slug)"))
            // Edit the headline.
            let (_, lock, version) = try await client.openEditor(id, as: editor)
            _ = try await client.post(
                "/admin/articles/\(id)", as: editor,
                articleFields(
                    title: "Виправлена новина для стрічок", extra: ["version": version, "lock": lock, "slug": slug]))
            #expect(try await client.page("/rss.xml").body.contains("Виправлена новина для стрічок"))
            #expect(try await client.page("/sitemap-news.xml").body.contains("Виправлена новина для стрічок"))
            // Unpublish.
            _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "unpublished"])
            #expect(try await !client.page("/rss.xml").body.contains("новина для стрічок"))
            #expect(try await !client.page("/sitemap-news.xml").body.contains("/news/\(slug)"))
            #expect(try await !client.page("/sitemaps/articles-1.xml").body.contains("/news/\(slug)"))
        }
    }

    @Test("the site's settings choose teasers only for the feeds", arguments: TestEngine.available)
    func teaserOnly(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            #expect(try XMLTree(try await client.page("/rss.xml").body).first("content:encoded") != nil)
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let settings = try await client.browse("/admin/settings", jar: admin.jar).body
            #expect(settings.contains(#"name="feeds_content" value="full" checked"#))
            let saved = try await client.post(
                "/admin/settings", as: admin,
                ["site_name": "Експрес", "cta_text": "", "cta_url": "", "feeds_content": "teaser"])
            #expect(saved.status == .seeOther)
            let feed = try XMLTree(try await client.page("/rss.xml").body)
            #expect(feed.first("content:encoded") == nil && feed.first("item")?.first("description") != nil)
            let bad = try await client.post(
                "/admin/settings", as: admin,
                ["site_name": "Експрес", "cta_text": "", "cta_url": "", "feeds_content": "everything"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test("robots.txt names the sitemaps and keeps crawlers out of the newsroom and search")
    func robots() async throws {
        try await withSite(.sqlite, demo: false) { client, _ in
            let page = try await client.page("/robots.txt")
            #expect(page.status == .ok && page.headers[.contentType] == "text/plain; charset=utf-8")
            let lines = page.body.split(separator: "\n").map(String.init)
            #expect(lines.contains("Disallow: /admin") && lines.contains("Disallow: /search"))
            #expect(lines.contains { $0.hasPrefix("Sitemap: http") && $0.hasSuffix("/sitemap.xml") })
            #expect(lines.contains { $0.hasPrefix("Sitemap: http") && $0.hasSuffix("/sitemap-news.xml") })
        }
    }
}

/// A parsed XML document (Foundation's `XMLParser`): elements with their attributes and text. Parsing fails on
/// anything that is not well-formed.
final class XMLTree {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        /// Every element named `name` below this one, in document order.
        func all(_ name: String) -> [Element] {
            children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
        }

        func first(_ name: String) -> Element? { all(name).first }
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    let root: Element

    init(_ text: String) throws {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw Malformed(description: "\(parser.parserError.map { "\($0)" } ?? "no root") in:\n\(text.prefix(2000))")
        }
        self.root = root
    }

    func all(_ name: String) -> [Element] { (root.name == name ? [root] : []) + root.all(name) }

    func first(_ name: String) -> Element? { all(name).first }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = Element(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
