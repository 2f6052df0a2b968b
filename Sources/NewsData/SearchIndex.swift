import Foundation
import NewsCore
import SQLKit

/// What a search asks for.
public struct SearchQuery: Sendable, Equatable {
    /// Groups of alternative index terms, one group a word; every group must match.
    public var required: [[String]]
    /// Word sequences in quotes: each a list of term groups that must stand side by side.
    public var phrases: [[[String]]]
    /// Groups of terms of excluded words ("-слово").
    public var excluded: [[String]]
    /// The words the reader typed (for highlighting and did-you-mean).
    public var words: [String]

    /// Whether there is anything to look for.
    public var isEmpty: Bool { required.isEmpty && phrases.isEmpty }

    /// Reads what a reader typed: words, "phrases in quotes" and -exclusions; anything else (FTS syntax,
    /// punctuation) is just text, so no input can reach the database as syntax.
    public init(_ text: String, analyzer: TextAnalyzer = .shared, maxWords: Int = 16) {
        var required: [[String]] = []
        var phrases: [[[String]]] = []
        var excluded: [[String]] = []
        var words: [String] = []
        let limited = String(text.prefix(500))
        var rest = Substring(limited)
        while let quote = rest.firstIndex(where: { $0 == "\"" || $0 == "«" || $0 == "“" || $0 == "„" }) {
            let before = rest[..<quote]
            Self.readWords(before, analyzer: analyzer, required: &required, excluded: &excluded, words: &words)
            let afterQuote = rest[rest.index(after: quote)...]
            guard let close = afterQuote.firstIndex(where: { $0 == "\"" || $0 == "»" || $0 == "”" || $0 == "“" }) else {
                rest = afterQuote
                break
            }
            let inside = afterQuote[..<close]
            let tokens = Self.wordTokens(analyzer.tokens(String(inside)))
            let groups = tokens.map { Self.safe($0.terms) }.filter { !$0.isEmpty }
            words += tokens.map(\.surface)
            if groups.count == 1 { required.append(groups[0]) } else if groups.count > 1 { phrases.append(groups) }
            rest = afterQuote[afterQuote.index(after: close)...]
        }
        Self.readWords(rest, analyzer: analyzer, required: &required, excluded: &excluded, words: &words)
        self.required = Array(required.prefix(maxWords))
        self.phrases = Array(phrases.prefix(4))
        self.excluded = Array(excluded.prefix(maxWords))
        self.words = Array(words.prefix(maxWords * 2))
    }

    private static func readWords(
        _ text: Substring, analyzer: TextAnalyzer, required: inout [[String]], excluded: inout [[String]],
        words: inout [String]
    ) {
        let string = String(text)
        for token in wordTokens(analyzer.tokens(string)) {
            let terms = safe(token.terms)
            guard !terms.isEmpty else { continue }
            // "-слово" excludes: a minus right before the word, at the start or after a space.
            var negative = false
            if token.range.lowerBound > string.startIndex {
                let before = string.index(before: token.range.lowerBound)
                if string[before] == "-" {
                    negative = before == string.startIndex || string[string.index(before: before)].isWhitespace
                }
            }
            if negative {
                excluded.append(terms)
            } else {
                required.append(terms)
                words.append(token.surface)
            }
        }
    }

    /// The tokens a query is made of: a hyphenated word counts by its parts (so "Кошице-Свалява" finds
    /// "Кошице — Свалява" and "Кам'янця-Подільського"), other words as they are.
    static func wordTokens(_ tokens: [AnalyzedToken]) -> [AnalyzedToken] {
        tokens.enumerated().compactMap { index, token in
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let hasParts =
                next.map {
                    $0.range.lowerBound >= token.range.lowerBound && $0.range.upperBound <= token.range.upperBound
                } ?? false
            return hasParts ? nil : token
        }
    }

    /// Index terms as the index stores them: letters and digits only.
    static func safe(_ terms: [String]) -> [String] {
        var seen = Set<String>()
        return terms.map(SearchIndex.lexeme).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

/// One hit of a search, before its page data is loaded.
public struct SearchHit: Sendable, Equatable {
    public var id: Int64
    public var score: Double
}

/// The full-text index over articles, for both engines. SQLite: an FTS5 table whose columns hold the
/// analysed terms of headline, lede and body. PostgreSQL: a weighted `tsvector` column with a GIN
/// index. Both are written in the same transaction as the article.
public enum SearchIndex {
    /// A term as both engines see it: only letters and digits (apostrophes and hyphens dropped).
    public static func lexeme(_ term: String) -> String {
        String(term.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    static func document(_ text: String, analyzer: TextAnalyzer) -> String {
        analyzer.terms(text).map(lexeme).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// (Re)indexes `article` inside the caller's transaction.
    public static func update(_ article: Article, analyzer: TextAnalyzer = .shared, in sql: any SQLDatabase)
        async throws
    {
        guard let id = article.id else { return }
        let title = document(article.title, analyzer: analyzer)
        let lede = document([article.lede, article.teaser ?? ""].joined(separator: " "), analyzer: analyzer)
        let body = document(article.body.map(\.plainText).joined(separator: " "), analyzer: analyzer)
        // The index's own vocabulary, for "did you mean".
        var vocabulary = Set<String>()
        for text in [title, lede, body] {
            for term in text.split(separator: " ") where term.count >= 3 && term.count <= 40 {
                vocabulary.insert(String(term))
            }
        }
        let sorted = vocabulary.sorted()
        var start = 0
        while start < sorted.count {
            let chunk = sorted[start..<min(start + 200, sorted.count)]
            var insert: SQLQueryString = "INSERT INTO search_terms (term) VALUES "
            for (index, term) in chunk.enumerated() { insert += (index == 0 ? "(" : ", (") + "\(bind: term))" }
            insert += " ON CONFLICT (term) DO NOTHING"
            try await sql.raw(insert).run()
            start += 200
        }
        switch sql.dialect.name {
        case "sqlite":
            try await sql.raw("DELETE FROM search_index WHERE rowid = \(bind: id)").run()
            try await sql.raw(
                "INSERT INTO search_index (rowid, title, lede, body) VALUES (\(bind: id), \(bind: title), \(bind: lede), \(bind: body))"
            ).run()
        default:
            try await sql.raw(
                """
                UPDATE articles SET search_vector =
                    setweight(to_tsvector('simple', \(bind: title)), 'A') ||
                    setweight(to_tsvector('simple', \(bind: lede)), 'B') ||
                    setweight(to_tsvector('simple', \(bind: body)), 'D')
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// The engine's query text for `query`: terms are plain lexemes, so nothing the reader typed can
    /// become query syntax.
    static func matchExpression(_ query: SearchQuery, dialect: String) -> String {
        let groups = query.required + query.phrases.flatMap { $0 }
        if dialect == "sqlite" {
            func group(_ terms: [String]) -> String {
                terms.count == 1 ? "\"\(terms[0])\"" : "(" + terms.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
            }
            var expression = groups.map(group).joined(separator: " AND ")
            for excluded in query.excluded { expression = "(" + expression + ") NOT " + group(excluded) }
            return expression
        }
        func group(_ terms: [String]) -> String {
            terms.count == 1 ? "'\(terms[0])'" : "(" + terms.map { "'\($0)'" }.joined(separator: " | ") + ")"
        }
        var expression = groups.map(group).joined(separator: " & ")
        for excluded in query.excluded { expression += " & !" + group(excluded) }
        return expression
    }
}
