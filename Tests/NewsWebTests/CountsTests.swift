import Foundation
import HummingbirdTesting
import NewsCore
import NewsWeb
import TestSupport
import Testing

/// Counts in words, through the language's plural rules (issue #16): the story's reading time, a rubric's, tag's
/// or author's number of stories.
@Suite("Counts on the reader's pages")
struct CountsTests {
    @Test("Ukrainian: 'N хвилин читання' and '1 стаття', in the form the number asks for")
    func ukrainian() async throws {
        try await withSite(.sqlite) { client, _ in
            let article = try await client.page("/news/\(referenceSlug)").body
            let reading = try #require(article.captures(#"<span class="reading">([^<]+)</span>"#).first)
            let minutes = try #require(Int(reading.prefix { $0.isNumber }))
            let form = ["one": "хвилина", "few": "хвилини", "many": "хвилин"][
                PluralRulesCategory.of(minutes, "uk")]!
            #expect(reading == "\(minutes) \(form) читання" && minutes >= 2, "\(reading)")
            let sport = try await client.page("/rubric/sport").body
            #expect(sport.contains(#"<p class="count">1 стаття</p>"#))
            let rubric = try await client.page("/rubric/podrobytsi").body
            let count = try #require(rubric.captures(#"<p class="count">([^<]+)</p>"#).first)
            let n = try #require(Int(count.prefix { $0.isNumber }))
            let stories = ["one": "стаття", "few": "статті", "many": "статей"][PluralRulesCategory.of(n, "uk")]!
            #expect(count == "\(n) \(stories)" && n > 1)
            let author = try await client.page("/author/olena-kovalska").body
            #expect(author.contains(#"<p class="count">1 стаття</p>"#))
            // The news itself has no count, and a "show more" fragment none either.
            #expect(!(try await client.page("/news").body.contains(#"<p class="count">"#)))
            #expect(!(try await client.page("/rubric/podrobytsi?partial=1").body.contains(#"<p class="count">"#)))
        }
    }

    @Test("English: '1 story', 'N minutes to read'")
    func english() async throws {
        try await withSite(.sqlite, configure: { $0.language = "en" }) { client, _ in
            let article = try await client.page("/news/\(referenceSlug)").body
            #expect(article.captures(#"<span class="reading">(\d+ minutes to read)</span>"#).count == 1)
            #expect(try await client.page("/rubric/sport").body.contains(#"<p class="count">1 story</p>"#))
        }
    }
}

/// The plural category, as the pages choose it.
enum PluralRulesCategory {
    static func of(_ n: Int, _ language: String) -> String { PluralRules.category(n, language: language) }
}
