import Foundation
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Every query/document pair through the real index")
struct SearchPairsOnEnginesTests {
    @Test("positives are found and negatives are not, on each engine", arguments: TestEngine.available)
    func pairs(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let now = Date(timeIntervalSince1970: 1_769_100_000)
            let repository = ArticleRepository(database: database)
            // Each pair's document is an article of its own (its headline), so a hit is unambiguous.
            let pairs =
                SearchPairs.positives.map { ($0, $1, true) }
                + (SearchPairs.negatives + SearchPairs.gheNegatives).map { ($0, $1, false) }
            var ids: [Int64] = []
            for (index, pair) in pairs.enumerated() {
                ids.append(
                    try await repository.save(
                        Article(
                            slug: "pair-\(index)", title: pair.1, status: .published, publishedAt: now, updatedAt: now,
                            createdAt: now)
                    ).id!)
            }
            let search = SearchRepository(database: database)
            var failures: [String] = []
            for (index, (query, document, shouldMatch)) in pairs.enumerated() {
                let found = try await search.search(SearchQuery(query), scope: .published(now: now), pageSize: 500)
                    .results.map(\.summary.id)
                if found.contains(ids[index]) != shouldMatch {
                    failures.append("\(shouldMatch ? "missed" : "wrongly found") «\(document)» for «\(query)»")
                }
            }
            #expect(pairs.count >= 150)
            #expect(failures.isEmpty, "\(failures.joined(separator: "; "))")
        }
    }
}
