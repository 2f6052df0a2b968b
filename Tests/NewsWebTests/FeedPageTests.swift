import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

@Suite("Feeds and the home page")
struct FeedPageTests {
    @Test("home: top story, featured, the feed and a real \"показати більше\" link", arguments: TestEngine.available)
    func home(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let page = try await client.page("/")
            #expect(page.status == .ok)
            let html = page.body
            #expect(html.contains(#"<article class="top""#))
            #expect(html.contains("Подробиці"))
            let start = try #require(html.range(of: #"<ol class="feed""#))
            let end = try #require(html.range(of: "</ol>", range: start.upperBound..<html.endIndex))
            let feed = String(html[start.lowerBound..<end.upperBound])
            #expect(feed.feedItemIDs.count == 20)
            // The editors' picks come before the long feed (first on a phone).
            let picks = try #require(html.range(of: #"<section class="picks""#))
            #expect(picks.lowerBound < start.lowerBound)
            let more = try #require(html.moreLink)
            #expect(more.hasPrefix("/news?after="))
            #expect(html.contains("показати більше"))
            #expect(html.contains(#"data-fragment="/news?after="#))
            // Navigation lists the rubrics in editorial order, the reference's first.
            let nav = html.captures(#"<a href="/rubric/([a-z-]+)""#)
            #expect(Array(nav.prefix(3)) == ["podrobytsi", "liudy-i-problemy", "sport"])
        }
    }

    @Test("following \"показати більше\" pages through everything once", arguments: TestEngine.available)
    func paging(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            var seen: [String] = []
            var next: String? = "/news"
            var pages = 0
            while let url = next, pages < 10 {
                let page = try await client.page(url)
                #expect(page.status == .ok)
                seen += page.body.feedItemIDs
                next = page.body.moreLink
                pages += 1
            }
            #expect(pages == 2)
            #expect(seen.count == 28)
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test(
        "the fragment for in-place \"show more\" has the next items and the next link", arguments: TestEngine.available)
    func fragment(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            try await Fixtures(database: database).publish(
                30, start: referenceEvening.addingTimeInterval(-86_400 * 400))
            let first = try await client.page("/news")
            let fragmentURL = try #require(first.body.captures(#"data-fragment="([^"]+)""#).first)
                .replacingOccurrences(of: "&amp;", with: "&")
            let fragment = try await client.page(fragmentURL)
            #expect(fragment.status == .ok)
            #expect(!fragment.body.contains("<html"))
            #expect(fragment.body.feedItemIDs.count == 20)
            #expect(Set(fragment.body.feedItemIDs).isDisjoint(with: first.body.feedItemIDs))
            #expect(fragment.body.moreLink != nil)
            #expect(fragment.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex")
        }
    }

    @Test("a story published between two requests is neither repeated nor skipped", arguments: TestEngine.available)
    func publishBetweenRequests(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let database = web.database
            try await buildApplication(web).test(.router) { client in
                let newsroom = Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                let editor = try await newsroom.addPerson(
                    email: "e@example.com", name: "Редактор", role: .editor, password: "password-123",
                    by: .commandLine)
                try await web.changes.drain()
                let first = try await client.page("/news")
                // Published by another process: the server learns of it from the outbox.
                let moment = referenceEvening.addingTimeInterval(-1)
                let (fresh, _) = try await newsroom.create(
                    Article(slug: "fresh", title: "Щойно", body: [.paragraph(spans: [Span("Т")])]), by: editor,
                    now: moment)
                try await newsroom.transition(fresh.id!, to: .published, by: editor, now: moment)
                try await web.changes.drain()
                let second = try await client.page(try #require(first.body.moreLink))
                let ids = first.body.feedItemIDs + second.body.feedItemIDs
                #expect(ids.count == 28)
                #expect(Set(ids).count == 28)
                #expect(!ids.contains("/news/fresh"))
                #expect(try await client.page("/news").body.feedItemIDs.first == "/news/fresh")
            }
        }
    }

    @Test("rubric, tag and author pages list their stories", arguments: TestEngine.available)
    func listings(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let sport = try await client.page("/rubric/sport")
            #expect(sport.status == .ok)
            #expect(sport.body.contains("<h1"))
            #expect(sport.body.contains("Спорт"))
            #expect(sport.body.feedItemIDs.count == 1)
            #expect(sport.body.contains(#"aria-current="page""#))
            // Beside the rubric's one story, the latest news of the whole paper; a "show more" fragment has
            // only the rubric's own list.
            let latest = try await client.page("/news").body.feedItemIDs
            #expect(sport.body.sideItemIDs == latest && latest.count > 1)
            #expect(sport.headers[HTTPField.Name("Surrogate-Key")!]?.split(separator: " ").contains("feed") == true)
            let fragment = try await client.page("/rubric/sport?partial=1")
            #expect(fragment.body.feedItemIDs == sport.body.feedItemIDs && fragment.body.sideItemIDs.isEmpty)
            #expect(try await client.page("/news").body.sideItemIDs.isEmpty)
            let author = try await client.page("/author/olena-kovalska")
            #expect(author.status == .ok)
            #expect(author.body.feedItemIDs == ["/news/\(referenceSlug)"])
            #expect(author.body.sideItemIDs.count > 1)
            let article = try await client.page("/news/\(referenceSlug)")
            let tag = try #require(article.body.captures(#"<a href="(/tag/[a-z0-9-]+)" rel="tag""#).first)
            let tagPage = try await client.page(tag)
            #expect(tagPage.status == .ok)
            #expect(tagPage.body.feedItemIDs.contains("/news/\(referenceSlug)"))
            #expect(try await client.page("/rubric/no-such").status == .notFound)
            #expect(try await client.page("/tag/no-such").status == .notFound)
            #expect(try await client.page("/author/no-such").status == .notFound)
        }
    }

    @Test("feed dates: time today, day.month this year, full date before", arguments: TestEngine.available)
    func dates(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let html = try await client.page("/news").body
            // 22 January 2026 at 20:00: the reference feed's stories of that day show their time.
            #expect(html.contains(#"<time datetime="2026-01-22T19:40:00+02:00">19:40</time>"#))
        }
        try await withSite(engine, now: Date(timeIntervalSince1970: 1_780_000_000)) { client, _ in
            // Later in 2026: the day and month only.
            let html = try await client.page("/news").body
            #expect(html.contains(#"<time datetime="2026-01-22T19:40:00+02:00">22.01</time>"#))
        }
        try await withSite(engine, now: Date(timeIntervalSince1970: 1_800_000_000)) { client, _ in
            // In 2027: the full date.
            let html = try await client.page("/news").body
            #expect(html.contains(#"<time datetime="2026-01-22T19:40:00+02:00">22.01.2026</time>"#))
        }
    }

    @Test("an empty paper shows a friendly empty feed")
    func empty() async throws {
        try await withSite(.sqlite, demo: false) { client, _ in
            let page = try await client.page("/")
            #expect(page.status == .ok)
            #expect(page.body.feedItemIDs.isEmpty)
            #expect(page.body.moreLink == nil)
        }
    }

    @Test("every page stays under 60 KB of HTML, CSS and JS")
    func weight() async throws {
        try await withSite(.sqlite) { client, _ in
            let css = try await client.page("/static/site.css")
            let js = try await client.page("/static/site.js")
            #expect(css.status == .ok && js.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            for url in ["/", "/news", "/news/\(referenceSlug)", "/rubric/podrobytsi", "/author/olena-kovalska"] {
                let html = try await client.page(url).body
                let total = html.utf8.count + css.body.utf8.count + js.body.utf8.count
                #expect(total < 60 * 1024, "\(url) weighs \(total) bytes")
                #expect(!html.contains("http://fonts") && !html.contains("https://cdn"))
            }
        }
    }
}
