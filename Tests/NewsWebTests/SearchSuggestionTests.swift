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

    /// The site on `engine` through the router, with an editor to write through the newsroom.
    func withEditor(
        _ engine: TestEngine, demo: Bool = true,
        _ body: @Sendable (any TestClientProtocol, WebEnvironment, Newsroom, User) async throws -> Void
    ) async throws {
        try await withWeb(engine, demo: demo) { web in
            try await buildApplication(web).test(.router) { client in
                let newsroom = Newsroom(
                    database: web.database, users: UserRepository(database: web.database, bcryptCost: 4))
                let editor = try await newsroom.addPerson(
                    email: "e@example.com", name: "Редактор", role: .editor, password: "password-123",
                    by: .commandLine)
                try await body(client, web, newsroom, editor)
            }
        }
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
        try await withEditor(engine, demo: false) { client, web, newsroom, editor in
            let database = web.database
            let now = referenceEvening
            _ = try await newsroom.create(
                Article(slug: "draft", title: "Бурштиновий шлях: чернетка"), by: editor, now: now)
            let (later, _) = try await newsroom.create(
                Article(slug: "later", title: "Бурштиновий шлях: завтра"), by: editor, now: now)
            try await newsroom.transition(
                later.id!, to: .scheduled, publishAt: now.addingTimeInterval(86_400), by: editor, now: now)
            let (today, _) = try await newsroom.create(
                Article(slug: "today", title: "Бурштиновий шлях відкрили"), by: editor, now: now)
            try await newsroom.transition(today.id!, to: .published, by: editor, now: now.addingTimeInterval(-60))
            try await web.changes.drain()
            // Asked of the database (before the index is read) and of memory alike.
            for _ in 0..<2 {
                let page = try await suggest(client, "бурштин")
                #expect(page.body.contains("/news/today"))
                #expect(!page.body.contains("/news/draft"))
                #expect(!page.body.contains("/news/later"))
                try await web.suggestionIndex.load(from: database)
            }
        }
    }

    @Test(
        "from memory, kept current by the change events: a story published, retitled and withdrawn, a topic renamed",
        arguments: TestEngine.available)
    func fromMemory(engine: TestEngine) async throws {
        try await withEditor(engine) { client, web, newsroom, editor in
            let database = web.database
            try await web.changes.drain()
            try await web.suggestionIndex.load(from: database)
            #expect(web.suggestionIndex.isReady)
            #expect(web.suggestionIndex.size.stories == 28)
            // The demo's stories and topics, as the database answered them.
            #expect(try await suggest(client, "Путін Півн").body.contains("href=\"/news/\(referenceSlug)\""))
            #expect(try await suggest(client, "Кореї ").body.contains("href=\"/news/\(referenceSlug)\""))
            #expect(try await suggest(client, "Держприк").body.contains("Тема:</span> Держприкордонслужба"))
            #expect(try await suggest(client, "гандбол").body.contains("Тема:</span> гандбол"))

            // A draft is not suggested; published, it is, by any form of its words.
            let moment = referenceEvening.addingTimeInterval(-60)
            let topic = try #require(try await web.search.topics(slugStartingWith: "derzhpr", now: moment).first)
            let (created, token) = try await newsroom.create(
                ArticleEdit(
                    Article(
                        slug: "burshtyn", title: "Бурштиновий шлях відкрили",
                        body: [.paragraph(spans: [Span("Т")])], tagIDs: [topic.id!]),
                    tagNames: [topic.name, "Бурштиновий край"]), by: editor, now: moment)
            var story = created
            try await web.changes.drain()
            let draft = try await suggest(client, "бурштин")
            #expect(!draft.body.contains("/news/burshtyn"))
            #expect(!draft.body.contains("Бурштиновий край"))
            try await newsroom.transition(story.id!, to: .published, by: editor, now: moment)
            try await web.changes.drain()
            let published = try await suggest(client, "бурштин")
            #expect(published.body.contains("/news/burshtyn"))
            #expect(published.body.contains("Тема:</span> Бурштиновий край"))
            #expect(try await suggest(client, "бурштинового шля").body.contains("/news/burshtyn"))

            // A new headline: found by its new words only.
            story = try #require(try await ArticleRepository(database: database).find(id: story.id!))
            story.title = "Янтарний шлях відкрили"
            _ = try await newsroom.save(
                story, expectedVersion: story.version, lockToken: token, by: editor, now: moment)
            try await web.changes.drain()
            #expect(!(try await suggest(client, "бурштин").body.contains("/news/burshtyn")))
            #expect(try await suggest(client, "янтар").body.contains("Янтарний шлях відкрили"))

            // A topic renamed is suggested by its new name.
            let renamed = try await newsroom.renameTag(topic.id!, to: "Прикордонна служба", by: .commandLine)
            try await web.changes.drain()
            #expect(try await suggest(client, "Держприк").body.contains("Тема:</span> Прикордонна служба"))
            #expect(renamed.slug == topic.slug)

            // Withdrawn: gone from the suggestions.
            try await newsroom.transition(story.id!, to: .unpublished, by: editor, now: moment)
            try await web.changes.drain()
            let withdrawn = try await suggest(client, "янтар")
            #expect(!withdrawn.body.contains("/news/burshtyn"))
            #expect(!(try await suggest(client, "бурштин").body.contains("Бурштиновий край")))
            #expect(web.suggestionIndex.size.stories == 28)

            // A whole site restored empties the index: the database answers until the server's service has read it
            // again.
            try await database.transaction { sql in
                try await SuggestionIndexSubscriber(web.suggestionIndex).apply(
                    [ChangeEvent(action: .siteRestored, source: .command, userID: nil, at: moment)], in: sql)
            }
            #expect(!web.suggestionIndex.isReady)
            #expect(try await suggest(client, "Путін Півн").body.contains("href=\"/news/\(referenceSlug)\""))
            for _ in 0..<300 where !web.suggestionIndex.isReady { try await Task.sleep(for: .milliseconds(100)) }
            #expect(web.suggestionIndex.isReady)
            #expect(web.suggestionIndex.size.stories == 28)
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
