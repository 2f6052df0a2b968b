import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// Every public page has a meta description (issue #16): its own (the story's, the rubric's, the author's bio),
/// or the paper's, set in the settings.
@Suite("Meta descriptions")
struct MetaDescriptionTests {
    static func description(_ html: String) -> String? {
        html.captures(#"<meta name="description" content="([^"]*)">"#).first
    }

    @Test(
        "the paper's, a rubric's and an author's descriptions, each where it belongs", arguments: TestEngine.available)
    func everyPage(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let paper = "Новини Львова & світу: \"головне\" за день."
            let saved = try await client.post(
                "/admin/settings", as: admin, ["site_name": "Експрес", "site_description": "  " + paper + " "])
            #expect(saved.status == .seeOther)
            let escaped = "Новини Львова &amp; світу: &quot;головне&quot; за день."
            let rubrics = try await RubricRepository(database: database).all()
            let sport = try #require(rubrics.first { $0.slug == "sport" })
            let other = try #require(rubrics.first { $0.slug != "sport" })
            let rubricText = "Футбол, бокс і все, що біжить."
            let changed = try await client.post(
                "/admin/rubrics", as: admin, [:],
                pairs: rubrics.flatMap { rubric in
                    [
                        ("id[]", "\(rubric.id!)"), ("name[]", rubric.name), ("position[]", "\(rubric.position)"),
                        ("parent[]", rubric.parentID.map(String.init) ?? ""),
                        ("description[]", rubric.id == sport.id ? rubricText : ""),
                    ]
                })
            #expect(changed.status == .seeOther)
            #expect(try await RubricRepository(database: database).find(slug: "sport")?.description == rubricText)
            // The rubrics form shows it for editing.
            #expect(
                try await client.browse("/admin/rubrics", jar: admin.jar).body.contains(">\(rubricText)</textarea>"))

            let article = try await client.page("/news/\(referenceSlug)").body
            let tag = try #require(article.captures(#"<a href="(/tag/[a-z0-9-]+)" rel="tag""#).first)
            for path in ["/", "/news", tag, "/search?q=%D0%9F%D1%83%D1%82%D1%96%D0%BD", "/rubric/\(other.slug)"] {
                #expect(Self.description(try await client.page(path).body) == escaped, "\(path)")
            }
            #expect(Self.description(try await client.page("/rubric/sport").body) == rubricText)
            let author = try #require(try await AuthorRepository(database: database).find(slug: "olena-kovalska"))
            let authorPage = try await client.page("/author/olena-kovalska").body
            #expect(
                Self.description(authorPage) == (author.author.bio?.isEmpty == false ? author.author.bio! : escaped))
            // The story keeps its own.
            let storyDescription = try #require(Self.description(article))
            #expect(!storyDescription.isEmpty && storyDescription != escaped)

            // Too long: refused with a message, nothing changed.
            let long = String(repeating: "я", count: 301)
            let refused = try await client.post(
                "/admin/settings", as: admin, ["site_name": "Експрес", "site_description": long])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("300"))
            let refusedRubric = try await client.post(
                "/admin/rubrics", as: admin, [:],
                pairs: [
                    ("id[]", "\(sport.id!)"), ("name[]", sport.name), ("position[]", "\(sport.position)"),
                    ("description[]", long),
                ])
            #expect(refusedRubric.status == .unprocessableContent)
            #expect(try await RubricRepository(database: database).find(slug: "sport")?.description == rubricText)
            #expect(Self.description(try await client.page("/").body) == escaped)
        }
    }
}
