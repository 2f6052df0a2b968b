import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// JSON-LD, Open Graph and share links (issue #10), read from the pages as a crawler reads them.
@Suite("Structured data and social cards")
struct StructuredDataTests {
    /// The JSON-LD objects of a page (a `@graph` flattened).
    static func jsonLD(_ html: String) throws -> [[String: Any]] {
        try html.captures(#"<script type="application/ld\+json">(.*?)</script>"#).flatMap { text -> [[String: Any]] in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return (object["@graph"] as? [[String: Any]]) ?? [object]
        }
    }

    static func meta(_ html: String, _ property: String) -> String? {
        html.captures(#"<meta (?:property|name)="\#(property)" content="([^"]*)">"#).first
    }

    @Test(
        "an article: NewsArticle with every byline, dates with offsets, section, photo credit; og:image with its size",
        arguments: TestEngine.available)
    func article(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let (rubric, tag, author) = try await Fixtures(database: database).catalog()
            let second = try await AuthorRepository(database: database).upsert(
                Author(slug: "ivan-petrenko", name: "Іван Петренко"))
            let photo = try await MediaRepository(database: database).insert(
                Media(
                    file: "cover.jpg", mimeType: "image/jpeg", width: 1200, height: 675, caption: "Підпис",
                    credit: "Фото: Укрінформ", alt: "Опис фото"))
            let published = referenceEvening.addingTimeInterval(-7200)
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "z-foto", title: "Історія з фото </script><script>alert(1)</script>", lede: "Лід",
                    body: [.paragraph(spans: [Span("Текст")])], rubricID: rubric.id, tagIDs: [tag.id!],
                    bylineIDs: [author.id!, second.id!], coverMediaID: photo.id, status: .published,
                    publishedAt: published, updatedAt: published.addingTimeInterval(3600), createdAt: published))
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "bez-foto", title: "Історія без фото", lede: "Лід", body: [], rubricID: rubric.id,
                    bylineIDs: [author.id!], status: .published, publishedAt: published, updatedAt: published,
                    createdAt: published))
            let page = try await client.page("/news/z-foto").body
            #expect(!page.contains("<script>alert(1)"), "a headline cannot end the JSON-LD script")
            let objects = try Self.jsonLD(page)
            let news = try #require(objects.first { $0["@type"] as? String == "NewsArticle" })
            #expect(news["headline"] as? String == "Історія з фото </script><script>alert(1)</script>")
            let authors = try #require(news["author"] as? [[String: Any]])
            #expect(authors.map { $0["name"] as? String } == ["Олена Ковальська", "Іван Петренко"])
            #expect(
                authors.allSatisfy {
                    $0["@type"] as? String == "Person" && ($0["url"] as? String)?.contains("/author/") == true
                })
            #expect(news["datePublished"] as? String == "2026-01-22T18:00:00+02:00")
            #expect(news["dateModified"] as? String == "2026-01-22T19:00:00+02:00")
            #expect(news["articleSection"] as? String == "Подробиці")
            let image = try #require((news["image"] as? [[String: Any]])?.first)
            #expect(
                image["creditText"] as? String == "Фото: Укрінформ"
                    && image["copyrightNotice"] as? String == "Фото: Укрінформ")
            #expect(image["width"] as? Int == 1200)
            let publisher = try #require(news["publisher"] as? [String: Any])
            #expect(
                publisher["@type"] as? String == "Organization" && (publisher["logo"] as? [String: Any])?["url"] != nil)
            let crumbs = try #require(objects.first { $0["@type"] as? String == "BreadcrumbList" })
            #expect((crumbs["itemListElement"] as? [[String: Any]])?.count == 3)
            #expect(Self.meta(page, "og:image")?.hasSuffix("/media/cover.jpg") == true)
            #expect(Self.meta(page, "og:image:width") == "1200" && Self.meta(page, "og:image:height") == "675")
            #expect(Self.meta(page, "twitter:card") == "summary_large_image")
            #expect(Self.meta(page, "article:section") == "Подробиці")
            #expect(Self.meta(page, "robots") == "max-image-preview:large")
            // Share links: plain links, no third-party script.
            for host in ["facebook.com/sharer", "t.me/share", "x.com/intent", "viber://forward", "wa.me/"] {
                #expect(page.contains(host), "\(host)")
            }
            #expect(!page.contains("connect.facebook.net") && !page.contains("platform.twitter.com"))
            // Without a photo: the default share picture, 1200 × 630.
            let plain = try await client.page("/news/bez-foto").body
            #expect(Self.meta(plain, "og:image")?.contains("/static/share.png") == true)
            #expect(Self.meta(plain, "og:image:width") == "1200" && Self.meta(plain, "og:image:height") == "630")
            #expect(try Self.jsonLD(plain).first { $0["@type"] as? String == "NewsArticle" }?["dateModified"] == nil)
        }
    }

    @Test(
        "the newsroom's settings: Google News name, social pages, logo and share picture reach the pages",
        arguments: TestEngine.available)
    func settings(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let (rubric, _, author) = try await Fixtures(database: database).catalog()
            let media = MediaRepository(database: database)
            let logo = try await media.insert(
                Media(file: "logo.png", mimeType: "image/png", width: 600, height: 60, alt: "Логотип"))
            let share = try await media.insert(
                Media(file: "share.jpg", mimeType: "image/jpeg", width: 1200, height: 630, alt: "Обкладинка"))
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "bez-foto", title: "Історія без фото", lede: "Лід", body: [], rubricID: rubric.id,
                    bylineIDs: [author.id!], status: .published, publishedAt: referenceEvening.addingTimeInterval(-60),
                    updatedAt: referenceEvening, createdAt: referenceEvening))
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let form = try await client.browse("/admin/settings", jar: admin.jar).body
            #expect(form.contains(#"<option value="\#(share.id!)">"#), "the library's photos to choose from")
            var fields = [
                "site_name": "Експрес", "cta_text": "", "cta_url": "", "feeds_content": "full",
                "news_name": "Газета Експрес",
                "social_profiles": "https://www.facebook.com/expres\nhttps://t.me/expres",
                "logo_media": "\(logo.id!)", "share_media": "\(share.id!)",
            ]
            #expect(try await client.post("/admin/settings", as: admin, fields).status == .seeOther)
            let page = try await client.page("/news/bez-foto").body
            let news = try #require(try Self.jsonLD(page).first { $0["@type"] as? String == "NewsArticle" })
            let publisher = try #require(news["publisher"] as? [String: Any])
            #expect(publisher["sameAs"] as? [String] == ["https://www.facebook.com/expres", "https://t.me/expres"])
            #expect(((publisher["logo"] as? [String: Any])?["url"] as? String)?.hasSuffix("/media/logo.png") == true)
            #expect(Self.meta(page, "og:image")?.hasSuffix("/media/share.jpg") == true)
            #expect(Self.meta(page, "og:image:width") == "1200" && Self.meta(page, "og:image:height") == "630")
            #expect(try await client.page("/sitemap-news.xml").body.contains("<news:name>Газета Експрес</news:name>"))
            // Bad input changes nothing.
            fields["social_profiles"] = "javascript:alert(1)"
            #expect(try await client.post("/admin/settings", as: admin, fields).status == .unprocessableContent)
            fields["social_profiles"] = ""
            fields["share_media"] = "999999"
            #expect(try await client.post("/admin/settings", as: admin, fields).status == .badRequest)
            let after = try await client.page("/news/bez-foto").body
            #expect(Self.meta(after, "og:image")?.hasSuffix("/media/share.jpg") == true)
        }
    }

    @Test(
        "home: WebSite with a SearchAction; rubric: CollectionPage; author: ProfilePage with a Person",
        arguments: TestEngine.available)
    func listings(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let home = try Self.jsonLD(try await client.page("/").body)
            let site = try #require(home.first { $0["@type"] as? String == "WebSite" })
            let action = try #require(site["potentialAction"] as? [String: Any])
            #expect((action["target"] as? String)?.hasSuffix("/search?q={search_term_string}") == true)
            let rubric = try Self.jsonLD(try await client.page("/rubric/podrobytsi").body)
            #expect(rubric.first?["@type"] as? String == "CollectionPage")
            let article = try await client.page("/news/" + referenceSlug).body
            let authorLink = try #require(article.firstLink(startingWith: "/author/"))
            let author = try #require(try Self.jsonLD(try await client.page(authorLink).body).first)
            #expect(author["@type"] as? String == "ProfilePage")
            #expect((author["mainEntity"] as? [String: Any])?["@type"] as? String == "Person")
        }
    }
}
