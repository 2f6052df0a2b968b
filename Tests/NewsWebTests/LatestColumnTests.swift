import Foundation
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// The column of the latest news beside a story and a rubric's, tag's or author's stories is rendered once per
/// change, also with the page cache off: a publication, an unpublication and the site's midnight each show on the
/// very next page.
@Suite("The latest news column")
struct LatestColumnTests {
    @Test(
        "a story published or unpublished shows in the column beside stories and listings on the very next request",
        arguments: TestEngine.available)
    func followsTheNews(engine: TestEngine) async throws {
        try await withWeb(engine, configure: { $0.pageCacheBytes = 0 }) { web in
            try await buildApplication(web).test(.router) { client in
                let story = "/news/\(referenceSlug)"
                let before = try await client.page(story)
                let tag = try #require(before.body.firstLink(startingWith: "/tag/"))
                #expect(!before.body.sideItemIDs.isEmpty)
                #expect(try await client.page(tag).body.sideItemIDs == before.body.sideItemIDs)

                let editor = try await client.member(web.database, "e@example.com", role: .editor)
                let id = try await client.createDraft("Свіжа новина для колонки", as: editor)
                #expect(try await client.page(story).body.sideItemIDs == before.body.sideItemIDs, "a draft is not news")
                _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
                let slug = try #require(try await ArticleRepository(database: web.database).find(id: id)?.slug)
                for url in [story, tag] {
                    let side = try await client.page(url).body.sideItemIDs
                    #expect(side.first == "/news/\(slug)", "\(url): \(side.prefix(2))")
                }

                _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "unpublished"])
                for url in [story, tag] {
                    #expect(try await client.page(url).body.sideItemIDs == before.body.sideItemIDs, "\(url)")
                }
            }
        }
    }

    @Test("at the site's midnight the column's \"20:00\" becomes \"22.01\"")
    func midnight() async throws {
        let clock = TestClock(referenceEvening)  // 20:00 in Kyiv on 22 January 2026
        try await withWeb(
            .sqlite,
            configure: { settings in
                settings.pageCacheBytes = 0
                settings.clock = { clock.now }
            }
        ) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "e@example.com", role: .editor)
                let id = try await client.createDraft("Новина цього вечора", as: editor)
                _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
                let story = "/news/\(referenceSlug)"
                #expect(try await Self.column(of: client.page(story).body).contains(">20:00</time>"))
                clock.now = referenceEvening.addingTimeInterval(4 * 3600 - 1)
                #expect(try await Self.column(of: client.page(story).body).contains(">20:00</time>"), "still today")
                clock.now = referenceEvening.addingTimeInterval(4 * 3600)
                let night = try await Self.column(of: client.page(story).body)
                #expect(night.contains(">22.01</time>") && !night.contains(">20:00</time>"), "\(night.prefix(600))")
            }
        }
    }

    /// The column's HTML in a page.
    static func column(of page: String) -> Substring {
        guard let start = page.range(of: #"class="latest side"#) else { return "" }
        let rest = page[start.lowerBound...]
        return rest[..<(rest.range(of: "</section>")?.upperBound ?? rest.endIndex)]
    }
}
