import Foundation
import HTTPTypes
import NewsCore
import NewsData
import TestSupport
import Testing

/// An editor adds a correction in the editor; readers see it, dated, at the top of the story (issue #16).
@Suite("Corrections")
struct CorrectionsTests {
    @Test("added in the editor, shown above the lede on the very next request, listed in the editor")
    func addAndShow() async throws {
        try await withSite(.sqlite) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let story = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug))
            let editorPage = try await client.browse("/admin/articles/\(story.id!)", jar: editor.jar).body
            #expect(editorPage.contains(#"action="/admin/articles/\#(story.id!)/corrections""#))
            _ = try await client.page("/news/\(referenceSlug)")  // cached before the change
            let added = try await client.post(
                "/admin/articles/\(story.id!)/corrections", as: editor,
                ["correction": "Візит тривав два дні, а не три."])
            #expect(added.status == .seeOther && added.headers[.location]?.hasSuffix("notice=corrected") == true)
            let page = try await client.page("/news/\(referenceSlug)").body
            let note = try #require(page.range(of: #"<div class="corrections" role="note">"#))
            let lede = try #require(page.range(of: #"<p class="lede">"#))
            #expect(note.lowerBound < lede.lowerBound)
            #expect(page.contains("<strong>Виправлення, <time datetime=\""))
            #expect(page.contains("22 січня 2026</time>:</strong> Візит тривав два дні, а не три."))
            let listed = try await client.browse("/admin/articles/\(story.id!)", jar: editor.jar).body
            #expect(listed.contains("Візит тривав два дні, а не три."))
            // Empty: refused with a notice; a journalist may not; nothing more stored.
            let empty = try await client.post(
                "/admin/articles/\(story.id!)/corrections", as: editor, ["correction": " "])
            #expect(empty.headers[.location]?.hasSuffix("notice=error_correction") == true)
            let refused = try await client.post(
                "/admin/articles/\(story.id!)/corrections", as: journalist, ["correction": "Моє виправлення"])
            #expect(refused.status == .forbidden || refused.headers[.location]?.contains("error_not_allowed") == true)
            let stored = try #require(try await ArticleRepository(database: database).find(id: story.id!))
            #expect(stored.corrections?.map(\.text) == ["Візит тривав два дні, а не три."])
        }
    }
}
