import Foundation
import HTTPTypes
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Article page")
struct ArticlePageTests {
    @Test("shows every element of the reference page, in its order", arguments: TestEngine.available)
    func referenceOrder(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let page = try await client.page("/news/\(referenceSlug)")
            #expect(page.status == .ok)
            let html = page.body
            let mainStart = try #require(html.range(of: "<main"))
            let main = String(html[mainStart.lowerBound...])
            let expected = [
                #"<a href="/rubric/podrobytsi">Подробиці</a>"#,  // rubric
                "<h1>Путін вперше за 24 роки відвідує Північну Корею: відомі офіційна і таємна цілі візиту</h1>",
                #"<time datetime="2024-06-18T10:15:00+03:00">18 червня 2024, 10:15</time>"#,  // date and time
                #"<p class="lede">На запрошення Кім Чен Ина Путін відвідає Північну Корею"#,  // lede
                #"<img src="/media/photo-01.jpg""#,  // cover photo…
                "Фото: telegram.org",  // …with its credit
                "Як інформують ЗМІ, це перший візит Путіна до КНДР",  // body
                "<h2>Путін їде в КНДР: хоче створити &quot;альтернативну систему розрахунків&quot;</h2>",  // subheading
                "<blockquote",  // quote…
                "<cite>заявив Путін</cite>",  // …with its attribution, worded as the reference words it
                "<h2>Більше зброї для Росії: що потрібно Путіну</h2>",
                "<cite>раніше заявив радник глави Офісу президента Михайло Подоляк</cite>",
                "Після попереджувальних пострілів солдати КНДР повернулися на свій бік.",  // last paragraph
                "Підписуйтесь на сторінку &quot;Експресу&quot; у Facebook",  // call to action
                #"Автор: <a href="/author/olena-kovalska""#,  // then the byline, as in the reference
                #"rel="tag""#,  // tags
                "Останні новини",  // then the latest-news feed
                #"<ol class="feed"#,
            ]
            let positions = main.positions(of: expected)
            for (needle, position) in zip(expected, positions) {
                #expect(position != nil, "missing on the article page: \(needle)")
            }
            let found = positions.compactMap { $0 }
            #expect(found == found.sorted(), "elements out of order")
            // The inline photo in the body carries its credit as well.
            #expect(main.components(separatedBy: "Фото: telegram.org").count - 1 >= 2)
            // The feed after the article lists the newest stories.
            #expect(main.feedItemIDs.count == 20)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test("'Читайте також': three to five other stories, after the story, the same the repository finds")
    func related() async throws {
        try await withSite(.sqlite) { client, database in
            let html = try await client.page("/news/\(referenceSlug)").body
            let section = try #require(html.captures(#"(?s)<section class="related column"(.*?)</section>"#).first)
            let links = section.captures(#"<li[^>]*data-id="([^"]+)""#)
            #expect((3...5).contains(links.count) && !links.contains("/news/\(referenceSlug)"), "\(links)")
            let story = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug))
            let expected = try await ArticleRepository(database: database).related(to: story, now: referenceEvening)
            #expect(links == expected.map { "/news/\($0.slug)" })
            #expect(section.contains("Читайте також"))
            let order = ["<article class=\"story", #"<section class="related"#, #"class="latest side"#].map {
                html.range(of: $0)?.lowerBound
            }
            #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! })
        }
    }

    @Test("an edit after publication shows \"Оновлено\"; markup in text is escaped", arguments: TestEngine.available)
    func updatedAndEscaped(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let published = referenceEvening.addingTimeInterval(-7200)
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "edited", title: "<script>alert('x')</script> Заголовок", lede: "Лід <b>не жирний</b> & «ще»",
                    body: [
                        .paragraph(spans: [Span("<img src=x onerror=alert(1)>")]),
                        .quote(text: "\"цитата\"", attribution: nil),
                    ],
                    status: .published, publishedAt: published, updatedAt: referenceEvening.addingTimeInterval(-600)))
            let page = try await client.page("/news/edited")
            #expect(page.status == .ok)
            #expect(page.body.contains("Оновлено"))
            #expect(page.body.contains("22 січня 2026, 19:50"))
            #expect(!page.body.contains("<script>alert"))
            #expect(page.body.contains("&lt;script&gt;alert"))
            #expect(!page.body.contains("<img src=x"))
            #expect(!page.body.contains("<b>не жирний</b>"))
            // Every printed value is escaped: & < > " and '.
            #expect(page.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Заголовок"))
            #expect(page.body.contains("&lt;b&gt;не жирний&lt;/b&gt; &amp; «ще»"))
            #expect(page.body.contains("&quot;цитата&quot;"))
        }
    }

    @Test("read-also, lists and embeds render safely", arguments: TestEngine.available)
    func blocks(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let repository = ArticleRepository(database: database)
            let other = try await repository.save(
                Article(slug: "other", title: "Інша історія", status: .published, publishedAt: referenceEvening))
            let hidden = try await repository.save(Article(slug: "hidden", title: "Чернетка", status: .draft))
            try await repository.save(
                Article(
                    slug: "rich", title: "Багато блоків",
                    body: [
                        .readAlso(articleID: other.id!), .readAlso(articleID: hidden.id!),
                        .list(ordered: true, items: [[Span("перший")], [Span("другий", link: "javascript:alert(1)")]]),
                        .embed(url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                        .embed(url: "https://evil.example/page"),
                        .raw(html: "<table><tr><th>Рік</th><td>2024</td></tr></table>"),
                    ], status: .published, publishedAt: referenceEvening))
            let html = try await client.page("/news/rich").body
            #expect(html.contains(#"href="/news/other""#))
            #expect(!html.contains("Чернетка"))
            #expect(html.contains("<ol"))
            #expect(!html.contains("javascript:"))
            #expect(html.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"))
            #expect(html.contains(#"href="https://evil.example/page""#))
            #expect(!html.contains(#"src="https://evil.example"#))
            #expect(html.contains(#"<div class="raw"><table><tr><th>Рік</th><td>2024</td></tr></table></div>"#))
        }
    }

    @Test("unknown, unpublished, draft and future stories", arguments: TestEngine.available)
    func statuses(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let repository = ArticleRepository(database: database)
            try await repository.save(
                Article(slug: "gone", title: "Знято", status: .unpublished, publishedAt: referenceEvening))
            try await repository.save(Article(slug: "draft", title: "Чернетка", status: .draft))
            try await repository.save(
                Article(
                    slug: "later", title: "Пізніше", status: .published,
                    publishedAt: referenceEvening.addingTimeInterval(60)))
            let missing = try await client.page("/news/no-such-story")
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("<h1"))
            #expect(missing.body.contains("Сторінку не знайдено"))
            #expect(missing.headers[.cacheControl] == "no-store")
            let gone = try await client.page("/news/gone")
            #expect(gone.status == .gone)
            #expect(gone.body.contains("знято з публікації"))
            #expect(try await client.page("/news/draft").status == .notFound)
            #expect(try await client.page("/news/later").status == .notFound)
            #expect(try await client.page("/news/bad_slug!").status == .notFound)
            #expect(try await client.page("/news/" + String(repeating: "a", count: 300)).status == .notFound)
        }
    }

    @Test("conditional GET: ETag and 304; cache headers name what the page shows")
    func caching() async throws {
        try await withSite(.sqlite) { client, database in
            let page = try await client.page("/news/\(referenceSlug)")
            let etag = try #require(page.headers[.eTag])
            #expect(page.headers[.cacheControl]?.hasPrefix("public, max-age=") == true)
            #expect(page.headers[.lastModified]?.hasSuffix("GMT") == true)
            let id = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug)?.id)
            #expect(page.headers[HTTPField.Name("Surrogate-Key")!]?.contains("article-\(id)") == true)
            let again = try await client.page("/news/\(referenceSlug)", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            let head = try await client.page("/news/\(referenceSlug)", method: .head)
            #expect(head.status == .ok && head.body.isEmpty)
        }
    }
}
