import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

@testable import NewsWeb

@Suite("Search suggestions as the reader types")
struct SearchSuggestionTests {
    func suggest(_ client: any TestClientProtocol, _ text: String) async throws -> Page {
        try await client.page(
            "/search/suggest?q=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    @Test(
        "headlines by the start of a word or any of its forms, rubrics and topics by name",
        arguments: TestEngine.available)
    func suggestions(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            // The start of a word in a headline ("Північну"), and the words before it whole, in any form.
            let start = try await suggest(client, "Путін Півн")
            #expect(start.status == .ok)
            #expect(start.headers[.cacheControl] == "public, max-age=60")
            #expect(start.body.contains(#"<ul class="suggestions""#))
            #expect(start.body.contains("href=\"/news/\(referenceSlug)\""))
            // A whole word in another form than the headline's ("Кореї" for "Корею"), then a space.
            let whole = try await suggest(client, "Кореї ")
            #expect(whole.body.contains("href=\"/news/\(referenceSlug)\""))
            // A rubric by the start of its name, a topic by the start of its name, each marked with its kind.
            let rubric = try await suggest(client, "подроб")
            #expect(rubric.body.contains(#"<span class="suggestion-kind">Рубрика:</span> Подробиці"#))
            let topic = try await suggest(client, "Держприк")
            #expect(topic.body.contains(#"<span class="suggestion-kind">Тема:</span> Держприкордонслужба"#))
            #expect(topic.body.contains("href=\"/tag/"))
            // ґ typed as г and the other way round.
            let ghe = try await suggest(client, "гандбол")
            #expect(ghe.body.contains("Тема:</span> гандбол"))
            // Words that are nowhere: an empty fragment.
            let none = try await suggest(client, "шпальтозавр")
            #expect(none.status == .ok)
            #expect(!none.body.contains("<li>"))
        }
    }

    @Test("drafts and scheduled stories are never suggested", arguments: TestEngine.available)
    func unpublished(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let articles = ArticleRepository(database: database)
            let now = referenceEvening
            try await articles.save(
                Article(slug: "draft", title: "Бурштиновий шлях: чернетка", status: .draft))
            try await articles.save(
                Article(
                    slug: "later", title: "Бурштиновий шлях: завтра", lede: "", body: [], status: .scheduled,
                    publishedAt: now.addingTimeInterval(86_400), updatedAt: now, createdAt: now))
            try await articles.save(
                Article(
                    slug: "today", title: "Бурштиновий шлях відкрили", lede: "", body: [], status: .published,
                    publishedAt: now.addingTimeInterval(-60), updatedAt: now, createdAt: now))
            let page = try await suggest(client, "бурштин")
            #expect(page.body.contains("/news/today"))
            #expect(!page.body.contains("/news/draft"))
            #expect(!page.body.contains("/news/later"))
        }
    }

    @Test("bad input gets an empty fragment, never an error", arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let inputs = [
                "", " ", "к", "\"", "*", "NEAR(", "{title}:", "Київ*", "\\", String(repeating: "а", count: 5000),
                String(repeating: "б", count: 300),
                String(repeating: "а ", count: 500), "'; DROP TABLE tags; --", "%%", "-", "ґ",
            ]
            for text in inputs {
                let page = try await suggest(client, text)
                // Past the address limit (5,000 Cyrillic letters are 60 KB encoded), a clear 414 instead.
                #expect(page.status == .ok || page.status == .uriTooLong, "\(text.prefix(20))")
                if text.utf8.count < 1000 { #expect(page.status == .ok, "\(text.prefix(20))") }
            }
            // Invalid UTF-8 in the address.
            #expect(try await client.page("/search/suggest?q=%FF%FE").status != .internalServerError)
        }
    }

    @Test("random and hostile text typed into the box always gets an answer", arguments: TestEngine.available)
    func randomText(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            var generator = SystemRandomNumberGenerator()
            let alphabet = Array(
                "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’-*\"(){}:^+ NEARORANDNOT0123456789ґГx\u{301}\u{E000}/")
            for _ in 0..<300 {
                let length = Int.random(in: 0...60, using: &generator)
                let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                _ = try await web.search.headlines(startingWith: text, now: referenceEvening)
                _ = try await SearchSuggestions.query(text, web: web, now: referenceEvening)
            }
        }
    }

    @Test("the results page names the rubrics and topics the words match, for readers without scripts")
    func relatedOnResults() async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page(
                "/search?q="
                    + ("Держприкордонслужба".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(page.body.contains(#"<p class="search-related">"#))
            #expect(page.body.contains("Тема:</span> Держприкордонслужба"))
            // The boxes that suggest say where their suggestions come from.
            #expect(page.body.contains(#"data-suggest="/search/suggest""#))
        }
    }
}
