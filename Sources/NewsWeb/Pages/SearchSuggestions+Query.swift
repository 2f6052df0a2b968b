import Foundation
import NewsCore
import NewsData

extension SearchSuggestions {
    /// The suggestions for `text` as typed so far (cut to 200 characters): up to three rubrics and three tags whose
    /// names have words starting with every word typed, and, unless `headlines` is false, the five newest headlines
    /// with those words. Nothing for fewer than two letters.
    static func query(_ text: String, web: WebEnvironment, now: Date, headlines: Bool = true) async throws
        -> SearchSuggestions
    {
        let text = String(text.prefix(200))
        let site = try await web.site()
        let words = Self.words(text)
        guard !words.isEmpty, words.joined().count >= 2, words.count <= 8 else {
            return SearchSuggestions(text: text, rubrics: [], tags: [], headlines: [], site: site, now: now)
        }
        let rubrics = zip(site.rubrics, site.rubricWords).filter { _, names in
            words.allSatisfy { word in names.contains { $0.hasPrefix(word) } }
        }.map(\.0)
        let tags = try await web.search.topics(slugStartingWith: Slug.make(from: text), now: now)
        let found = headlines ? try await web.search.headlines(startingWith: text, now: now) : []
        return SearchSuggestions(
            text: text, rubrics: Array(rubrics.prefix(3)), tags: tags, headlines: found, site: site, now: now)
    }

    /// The words of `text` for matching names: letters and digits, lowercase, with ґ as г.
    static func words(_ text: String) -> [String] {
        GheSpelling.fold(UkrainianText.normalize(text).lowercased())
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'") })
            .map(String.init)
    }
}
