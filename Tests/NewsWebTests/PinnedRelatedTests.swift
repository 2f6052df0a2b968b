import Foundation
import HTTPTypes
import NewsCore
import NewsData
import TestSupport
import Testing

/// Editors pin their own stories to the top of "Читайте також" in the editor (issue #16).
@Suite("Related stories: pinned, and by headline words")
struct PinnedRelatedTests {
    @Test(
        "pinned by address in the editor, shown first in their order, kept in the form; bad addresses refused; an unpublished pin leaves the page",
        arguments: TestEngine.available)
    func pinned(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let articles = ArticleRepository(database: database)
            let story = try #require(try await articles.find(slug: referenceSlug))
            let id = try #require(story.id)
            let feed = try await client.page("/news").body.feedItemIDs.filter { $0 != "/news/\(referenceSlug)" }
            let (first, second) = (feed[4], feed[2])
            let opened = try await client.openEditor(id, as: editor)
            var lock = opened.1
            let version = opened.2
            func save(_ related: String, version: String) async throws -> Page {
                try await client.post(
                    "/admin/articles/\(id)", as: editor,
                    articleFields(
                        title: story.title, extra: ["version": version, "lock": lock, "related": related]))
            }
            // A whole URL with a query, and a path: in the order given.
            let saved = try await save("https://news.example\(first)?utm_source=x\n\(second)", version: version)
            #expect(saved.status == .seeOther)
            let page = try await client.page("/news/\(referenceSlug)").body
            let section = try #require(page.captures(#"(?s)<section class="related column"(.*?)</section>"#).first)
            let links = section.captures(#"<h3><a href="([^"]+)""#)
            #expect(Array(links.prefix(2)) == [first, second])
            #expect(links.count >= 3 && Set(links).count == links.count && !links.contains("/news/\(referenceSlug)"))
            // The editor shows them as addresses.
            let (form, newLock, version2) = try await client.openEditor(id, as: editor)
            lock = newLock
            #expect(form.body.contains(">\(first)\n\(second)</textarea>"))
            // Refused, with the field's message and the typed text kept: an unknown address, the story itself, six.
            for (related, message) in [
                ("/news/nemaie-takoi-statti", "Не знайшли статтю"),
                ("/news/\(referenceSlug)", "Не знайшли статтю"),
                (feed.prefix(6).joined(separator: "\n"), "Закріпити можна до 5"),
                // Hostile input ends at once: a quarter megabyte of separators, one endless address.
                (String(repeating: ",\n", count: 100_000) + "/news/x", "Не знайшли статтю"),
                ("/news/" + String(repeating: "я", count: 100_000), "Не знайшли статтю"),
            ] {
                let refused = try await save(related, version: version2)
                #expect(refused.status == .unprocessableContent, "\(related)")
                #expect(refused.body.contains(message), "\(related)")
                #expect(refused.body.contains(#"id="f-related" name="related""#))
            }
            // Stored as ids, unchanged by the refused saves.
            let pinnedIDs = try await [first, second].asyncMap {
                try #require(try await articles.find(slug: String($0.split(separator: "/").last!))?.id)
            }
            #expect(try await articles.find(id: id)?.pinnedRelated == pinnedIDs)
            // A pin unpublished leaves the page at once (the page names its pins' keys).
            let moved = try await client.post(
                "/admin/articles/\(pinnedIDs[0])/transition", as: editor, ["to": "unpublished"])
            #expect(moved.status == .seeOther && moved.headers[.location]?.contains("error") == false)
            let after = try await client.page("/news/\(referenceSlug)").body
            let left = try #require(after.captures(#"(?s)<section class="related column"(.*?)</section>"#).first)
            #expect(left.captures(#"<h3><a href="([^"]+)""#).first == second)
        }
    }

    @Test(
        "a story without enough tags gets the stories whose headlines share its telling words, the best match first",
        arguments: TestEngine.available)
    func byHeadlineWords(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let articles = ArticleRepository(database: database)
            let stories = [
                ("opera", "Львівська опера відкриває новий сезон прем'єрою", 5),
                ("opera-zala", "Опера у Львові: прем'єра сезону зібрала повну залу", 4),
                ("karpaty", "Футбольний клуб програв на виїзді", 3),
                ("mist", "Новий міст через річку відкрили", 2),
            ]
            for (slug, title, hoursAgo) in stories {
                let time = referenceEvening.addingTimeInterval(-3600 * Double(hoursAgo))
                try await articles.save(
                    Article(
                        slug: slug, title: title, lede: "", body: [.paragraph(spans: [Span("Текст.")])],
                        status: .published, publishedAt: time, updatedAt: time, createdAt: time))
            }
            let story = try #require(try await articles.find(slug: "opera"))
            let related = try await articles.related(to: story, now: referenceEvening).map(\.slug)
            #expect(related.first == "opera-zala", "\(related)")
            #expect(!related.contains("karpaty") && !related.contains("opera"))
            let page = try await client.page("/news/opera").body
            let section = try #require(page.captures(#"(?s)<section class="related column"(.*?)</section>"#).first)
            #expect(section.captures(#"<h3><a href="([^"]+)""#).first == "/news/opera-zala")
        }
    }
}
