import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import Synchronization
import TestSupport
import Testing

@testable import NewsWeb

/// "Найпопулярніше": counted on the server from readers' page views, with no cookie, robots left out, one count a
/// minute per address, a 24-hour window (issue #16).
@Suite("Most read")
struct MostReadTests {
    static let browser =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

    @Test(
        "views from browsers, once a minute per address, rank the home page's and the story pages' list; robots do not count",
        arguments: TestEngine.available)
    func ranking(engine: TestEngine) async throws {
        try await withWeb(engine, configure: { $0.trustedProxies = ["127.0.0.1", "::1"] }) { web in
            let cache = try #require(web.pageCache)
            try await buildApplication(web).test(.live) { client in
                try await web.changes.drain()
                let stories = Array(try await client.page("/news").body.feedItemIDs.prefix(3))
                try #require(stories.count == 3)
                let (first, second, robots) = (stories[0], stories[1], stories[2])
                var responses: [Page] = []
                // The home page before anyone read anything: no list, and the page is cached so.
                responses.append(try await client.page("/"))
                #expect(!responses[0].body.contains("most-read"))
                func view(_ url: String, from address: String, as agent: String?) async throws {
                    var headers: HTTPFields = [.init("X-Forwarded-For")!: address]
                    if let agent { headers[.userAgent] = agent }
                    responses.append(try await client.page(url, headers: headers))
                }
                _ = cache.takeStatistics()
                // Second story: one address five times (once a minute counts), then another once.
                for _ in 0..<5 { try await view(second, from: "203.0.113.9", as: Self.browser) }
                try await view(second, from: "203.0.113.10", as: Self.browser)
                // First story: three addresses.
                for index in 1...3 { try await view(first, from: "198.51.100.\(index)", as: Self.browser) }
                // Third story: robots, tools and a client that says nothing.
                for (index, agent) in [
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
                    "facebookexternalhit/1.1", nil,
                ].enumerated() {
                    try await view(robots, from: "192.0.2.\(index)", as: agent)
                }
                // Most of those were answered in the connection's pipeline, and counted there.
                #expect(cache.takeStatistics().pipelineHits >= 5)
                let service = MostReadService(web: web)
                await service.store()
                let views = ArticleViews(database: web.database)
                let since = referenceEvening.addingTimeInterval(-3600)
                let ids = try await stories.asyncMap { try await Self.id(of: $0, in: web.database) }
                #expect(try await views.views(of: ids[0], since: since) == 3)
                #expect(try await views.views(of: ids[1], since: since) == 2)
                #expect(try await views.views(of: ids[2], since: since) == 0)
                // The list read afresh evicts the pages that show it.
                await service.refresh()
                let home = try await client.page("/")
                responses.append(home)
                let list = try #require(home.body.mostReadSection)
                #expect(list.contains(#"<h2 id="most-read-h" class="section-h">Найпопулярніше</h2>"#))
                let ranked = list.captures(#"<h3><a href="([^"]+)">"#)
                #expect(ranked == [first, second])
                let story = try await client.page(robots)
                responses.append(story)
                #expect(story.body.mostReadSection?.captures(#"<h3><a href="([^"]+)">"#) == [first, second])
                // No cookie on any of it.
                #expect(responses.allSatisfy { $0.headers[.setCookie] == nil })
            }
        }
    }

    @Test("a story unpublished leaves the list at once", arguments: TestEngine.available)
    func unpublishedLeaves(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await buildApplication(web).test(.router) { client in
                try await web.changes.drain()
                let stories = Array(try await client.page("/news").body.feedItemIDs.prefix(2))
                let ids = try await stories.asyncMap { try await Self.id(of: $0, in: web.database) }
                let hour = ViewCount.hour(of: referenceEvening)
                try await ArticleViews(database: web.database).add([
                    ViewCount(articleID: ids[0], hour: hour, views: 10),
                    ViewCount(articleID: ids[1], hour: hour, views: 5),
                ])
                await MostReadService(web: web).refresh()
                let before = try #require(try await client.page("/").body.mostReadSection)
                #expect(before.captures(#"<h3><a href="([^"]+)">"#) == stories)
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                try await Newsroom(database: web.database).transition(
                    ids[0], to: .unpublished, by: editor.user, now: referenceEvening)
                try await web.changes.drain()
                let after = try #require(try await client.page("/").body.mostReadSection)
                #expect(after.captures(#"<h3><a href="([^"]+)">"#) == [stories[1]])
            }
        }
    }

    @Test(
        "the window is the last 24 hours; two days are kept; views of a deleted story are dropped",
        arguments: TestEngine.available)
    func window(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let feed = try await ArticleRepository(database: web.database).feed(limit: 3, now: referenceEvening)
            let ids = feed.items.map(\.id)
            let views = ArticleViews(database: web.database)
            let now = referenceEvening
            try await views.add([
                ViewCount(articleID: ids[0], hour: ViewCount.hour(of: now.addingTimeInterval(-30 * 3600)), views: 100),
                ViewCount(articleID: ids[0], hour: ViewCount.hour(of: now.addingTimeInterval(-60 * 3600)), views: 100),
                ViewCount(articleID: ids[1], hour: ViewCount.hour(of: now.addingTimeInterval(-3600)), views: 2),
                ViewCount(articleID: ids[2], hour: ViewCount.hour(of: now), views: 1),
                ViewCount(articleID: 987_654_321, hour: ViewCount.hour(of: now), views: 50),
            ])
            // Added to, not replaced.
            try await views.add([ViewCount(articleID: ids[2], hour: ViewCount.hour(of: now), views: 2)])
            let list = try await views.mostRead(since: now.addingTimeInterval(-MostRead.window), now: now, limit: 5)
            #expect(list.map(\.id) == [ids[2], ids[1]])
            #expect(try await views.prune(before: now.addingTimeInterval(-48 * 3600)) == 1)
            #expect(try await views.views(of: ids[0], since: .distantPast) == 100)
        }
    }

    @Test("a flood of addresses in one minute is bounded, and counting starts again the next minute")
    func flood() {
        let clock = Mutex(referenceEvening)
        let counter = ViewCounter(clock: { clock.withLock { $0 } })
        for index in 0..<(ViewCounter.maxPairs + 500) {
            counter.record(
                article: 1, address: "10.\(index >> 16).\((index >> 8) & 255).\(index & 255)", userAgent: Self.browser)
        }
        let (counts, refused) = counter.drain()
        #expect(counts.map(\.views) == [ViewCounter.maxPairs])
        #expect(refused == 500)
        clock.withLock { $0 = $0.addingTimeInterval(60) }
        counter.record(article: 1, address: "10.0.0.0", userAgent: Self.browser)
        #expect(counter.drain().counts.map(\.views) == [1])
    }

    @Test("only browsers are readers")
    func readers() {
        #expect(ViewCounter.isReader(Self.browser))
        #expect(
            ViewCounter.isReader("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile"))
        for agent in [
            nil, "", "curl/8.5.0", "Wget/1.21", "python-requests/2.31", "Googlebot/2.1",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (Linux; Android 6.0.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 (compatible; Googlebot/2.1)",
            "Mozilla/5.0 (compatible; YandexBot/3.0)", "TelegramBot (like TwitterBot)",
            String(repeating: "Mozilla/", count: 100),
        ] {
            #expect(!ViewCounter.isReader(agent), "\(agent ?? "nil")")
        }
        #expect(ViewCounter.viewedArticle(path: "/news/some-story", keys: "article-42 feed most-read") == 42)
        #expect(ViewCounter.viewedArticle(path: "/news", keys: "article-42 feed") == nil)
        #expect(ViewCounter.viewedArticle(path: "/", keys: "home feed article-42") == nil)
        // Hostile headers end at once: a megabyte of agent, of digits, of spaces.
        let huge = String(repeating: "9", count: 1_000_000)
        #expect(!ViewCounter.isReader("Mozilla/5.0 " + String(repeating: "a", count: 1_000_000)))
        #expect(ViewCounter.viewedArticle(path: "/news/x", keys: "article-" + huge) == nil)
        #expect(
            ViewCounter.viewedArticle(path: "/news/x", keys: "article-" + String(repeating: " ", count: 1_000_000))
                == nil)
    }

    static func id(of url: String, in database: Database) async throws -> Int64 {
        let slug = String(url.split(separator: "/").last ?? "")
        return try #require(try await ArticleRepository(database: database).find(slug: slug)?.id)
    }
}

extension String {
    /// The most-read block of a page.
    var mostReadSection: String? {
        guard let start = range(of: #"<section class="most-read""#),
            let end = self[start.upperBound...].range(of: "</section>")
        else { return nil }
        return String(self[start.lowerBound..<end.upperBound])
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
