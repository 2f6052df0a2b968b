import Foundation
import NewsCore
import SQLKit

extension SearchRepository {
    /// The newest published stories whose headline has every word of `text`, the last word as typed so far (its
    /// start, or any of its forms when it is a whole word): a search box's suggestions while the reader types.
    /// Empty when the last word has fewer than two letters, or there are no words.
    public func headlines(startingWith text: String, now: Date, limit: Int = 5) async throws -> [HeadlineLink] {
        let tokens = SearchQuery.wordTokens(analyzer.tokens(String(text.prefix(200))))
        guard let last = tokens.last, last.surface.count >= 2, tokens.count <= 8 else { return [] }
        let typingLast = text.last.map { $0.isLetter || $0.isNumber } ?? false
        let whole = (typingLast ? tokens.dropLast() : tokens[...]).map { SearchQuery.safe($0.terms) }
        let prefixes =
            typingLast ? analyzer.prefixes(of: last.surface).map(SearchIndex.lexeme).filter { !$0.isEmpty } : []
        let lastTerms = typingLast ? SearchQuery.safe(last.terms) : []
        guard whole.allSatisfy({ !$0.isEmpty }), !whole.isEmpty || !prefixes.isEmpty else { return [] }
        let words = HeadlineWords(whole: whole, prefixes: prefixes, lastTerms: lastTerms)
        let ids: [Int64]
        if let found = suggestions?.headlines(words, now: now, limit: limit) {
            ids = found
        } else {
            ids = try await database.search.headlines(words, now: now, limit: limit, in: database)
        }
        guard !ids.isEmpty else { return [] }
        let kept = suggestions?.links(ids) ?? (found: [:], generation: 0)
        let missing = ids.filter { kept.found[$0] == nil }
        var byID = kept.found
        if !missing.isEmpty {
            let list = SQLGroupExpression(SQLList(missing.map { SQLBind($0) }))
            let rows = try await database.read { sql in
                try await sql.raw("SELECT id, slug, title FROM articles WHERE id IN \(list)").all()
            }
            let read = try rows.map {
                HeadlineLink(
                    id: try $0.decode(column: "id", as: Int64.self),
                    slug: try $0.decode(column: "slug", as: String.self),
                    title: try $0.decode(column: "title", as: String.self))
            }
            for link in read { byID[link.id] = link }
            suggestions?.keep(read, readAfter: kept.generation)
        }
        return ids.compactMap { byID[$0] }
    }

    /// Up to `limit` topics whose slug starts with `slugPrefix` and that have a story published by `now`, in the
    /// slugs' byte order: a search box's suggestions while the reader types.
    public func topics(slugStartingWith slugPrefix: String, now: Date, limit: Int = 3) async throws -> [Tag] {
        guard !slugPrefix.isEmpty, Slug.isValid(slugPrefix) else { return [] }
        if let found = suggestions?.topics(slugStartingWith: slugPrefix, now: now, limit: limit) { return found }
        return try await TagRepository(database: database).tags(slugStartingWith: slugPrefix, now: now, limit: limit)
    }
}

/// A headline a suggestion links to.
public struct HeadlineLink: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var title: String
}
