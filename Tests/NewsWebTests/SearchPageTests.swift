import Foundation
import HTTPTypes
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("The search page")
struct SearchPageTests {
    func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("finds inflected forms, highlights them as written, pages with show more", arguments: TestEngine.available)
    func results(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let page = try await client.page("/search?q=" + encode("Північної Кореї"))
            #expect(page.status == .ok)
            #expect(page.body.feedItemIDs.contains("/news/\(referenceSlug)"))
            #expect(page.body.contains("<mark>Північну</mark>") || page.body.contains("<mark>Північна</mark>"))
            #expect(page.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex")
            let kyiv = try await client.page("/search?q=" + encode("Києві"))
            #expect(kyiv.body.feedItemIDs.count >= 1)
            let sport = try await client.page("/search?q=" + encode("турнірі") + "&rubric=sport")
            #expect(sport.body.feedItemIDs.count == 1)
            let none = try await client.page("/search?q=" + encode("Київ") + "&rubric=sport")
            #expect(none.body.contains("Нічого не знайдено"))
        }
    }

    @Test("results come best match first, or newest first when the reader asks", arguments: TestEngine.available)
    func order(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let articles = ArticleRepository(database: database)
            // The oldest has the word in its headline (the best match); the other two only in their text.
            let stories = [
                ("kordon-kosytse", "Кошице відкриває новий пункт пропуску", "Про кордон.", 3),
                ("avtobus", "Автобус вирушив уранці", "Рейс до Кошице скасували.", 2),
                ("pohoda", "Погода на вихідні", "У Кошице дощ.", 1),
            ]
            for (slug, title, text, hoursAgo) in stories {
                let time = referenceEvening.addingTimeInterval(-3600 * Double(hoursAgo))
                try await articles.save(
                    Article(
                        slug: slug, title: title, lede: "", body: [.paragraph(spans: [Span(text)])],
                        status: .published, publishedAt: time, updatedAt: time, createdAt: time))
            }
            let word = encode("Кошице")
            let best = try await client.page("/search?q=" + word)
            // Among the others, the newer first.
            #expect(best.body.feedItemIDs == ["/news/kordon-kosytse", "/news/pohoda", "/news/avtobus"])
            #expect(best.body.contains(#"<option value="relevance" selected>найточніші</option>"#))
            let newest = try await client.page("/search?q=" + word + "&sort=newest")
            #expect(newest.body.feedItemIDs == ["/news/pohoda", "/news/avtobus", "/news/kordon-kosytse"])
            #expect(newest.body.contains(#"<option value="newest" selected>найновіші</option>"#))
            // The order is kept from page to page; an unknown order is the default one.
            let first = try await client.page("/search?q=" + word + "&sort=newest&page=1")
            #expect(first.body.feedItemIDs.first == "/news/pohoda")
            #expect(
                try await client.page("/search?q=" + word + "&sort=x").body.feedItemIDs.first == "/news/kordon-kosytse")
            #expect(
                try await client.page("/search?q=" + word + "&rubric=&sort=newest").body.feedItemIDs.first
                    == "/news/pohoda", "with a filter, on the general query plan too")
            let phrase = try await client.page("/search?q=" + encode("\"у Кошице\"") + "&sort=newest")
            #expect(phrase.body.feedItemIDs == ["/news/pohoda"])
            // Twenty older stories more: the "show more" address keeps the order, and page 2 goes on in it.
            for index in 1...20 {
                let time = referenceEvening.addingTimeInterval(-3600 * Double(10 + index))
                try await articles.save(
                    Article(
                        slug: "arkhiv-\(index)", title: "Архів \(index)", lede: "",
                        body: [.paragraph(spans: [Span("Згадка про Кошице.")])], status: .published,
                        publishedAt: time, updatedAt: time, createdAt: time))
            }
            let full = try await client.page("/search?q=" + word + "&sort=newest").body
            #expect(full.contains("sort=newest&amp;page=2") || full.contains("sort=newest&page=2"))
            let second = try await client.page("/search?q=" + word + "&sort=newest&page=2")
            #expect(second.body.feedItemIDs == ["/news/arkhiv-18", "/news/arkhiv-19", "/news/arkhiv-20"])
        }
    }

    @Test(
        "the page says how many stories it found, in words that agree with the number", arguments: TestEngine.available)
    func found(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let articles = ArticleRepository(database: database)
            for index in 1...23 {
                let time = referenceEvening.addingTimeInterval(-3600 * Double(index))
                try await articles.save(
                    Article(
                        slug: "kosytse-\(index)", title: "Кошице \(index)", lede: "",
                        body: [.paragraph(spans: [Span(index == 1 ? "Ужгород і Кошице." : "Кошице.")])],
                        status: .published, publishedAt: time, updatedAt: time, createdAt: time))
            }
            let word = encode("Кошице")
            // More than a page: counted by the index.
            let first = try await client.page("/search?q=" + word).body
            #expect(first.contains(#"<p class="found" role="status">Знайдено 23 статті</p>"#))
            let second = try await client.page("/search?q=" + word + "&page=2").body
            #expect(second.contains("Знайдено 23 статті"))
            // One page: the results are the count.
            #expect(try await client.page("/search?q=" + encode("Ужгород")).body.contains("Знайдено 1 статтю"))
            #expect(
                try await client.page("/search?q=" + word + "&from=2026-01-22&to=2026-01-22").body.contains(
                    "Знайдено 20 статей"))
            // Nothing found: no count, the no-results message.
            let none = try await client.page("/search?q=" + encode("Братислава")).body
            #expect(!none.contains(#"class="found""#) && none.contains("Нічого не знайдено"))
            // The count stops at its cap.
            let search = SearchRepository(database: database)
            #expect(
                try await search.count(SearchQuery("Кошице"), scope: .published(now: referenceEvening), cap: 5) == 5)
            #expect(
                try await search.count(SearchQuery("Кошице"), scope: .published(now: referenceEvening)) == 23)
        }
    }

    @Test("the snippet is the text around the first hit, cut with ellipses")
    func snippet() async throws {
        try await withSite(.sqlite) { client, database in
            let before = (1...40).map { String(format: "п%03d", $0) }.joined(separator: " ")
            let after = (41...90).map { String(format: "п%03d", $0) }.joined(separator: " ")
            let time = Date(timeIntervalSince1970: 1_700_000_000)
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "snippet", title: "Довгий текст", lede: "",
                    body: [.paragraph(spans: [Span("\(before) енергетиками \(after)")])], status: .published,
                    publishedAt: time, updatedAt: time, createdAt: time))
            let page = try await client.page("/search?q=" + encode("енергетики"))
            #expect(page.body.contains("… п029 п030"))
            #expect(!page.body.contains("п028"))
            #expect(page.body.contains("<mark>енергетиками</mark> п041"))
            #expect(page.body.contains("п064 …"))
            #expect(!page.body.contains("п065"))
        }
    }

    @Test(
        "bad queries give a normal page, never an error",
        arguments: [
            "", "%22", "*", "NEAR", "AND%20(", "%FF%FE", "%E0%A4%A", String(repeating: "%D0%B0", count: 5000),
            String(repeating: "!", count: 5000), "%22%22%22", "-", "%00",
            // 500 one-letter words, of both alphabets, some of them quoted or excluded.
            String(repeating: "%D0%B0%20", count: 500), String(repeating: "a%20%D0%BA%20", count: 250),
            String(repeating: "%22%D1%96%20%D0%B2%22%20-%D0%B7%20", count: 125),
        ])
    func badQueries(query: String) async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/search?q=" + query)
            #expect(page.status == .ok, "\(query.prefix(30))")
            #expect(page.body.contains("<h1"))
        }
    }

    @Test("absurd page numbers get a clear 400")
    func pages() async throws {
        try await withSite(.sqlite) { client, _ in
            let zero = try await client.page("/search?q=a&page=0")
            #expect(zero.status == .badRequest)
            #expect(try await client.page("/search?q=a&page=99999").status == HTTPResponse.Status.badRequest)
            #expect(try await client.page("/search?q=a&page=x").status == HTTPResponse.Status.badRequest)
        }
    }

    @Test("a near miss offers a correction")
    func didYouMean() async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/search?q=" + encode("Пхеняна"))
            #expect(page.body.contains("Можливо, ви мали на увазі"))
        }
    }
}
