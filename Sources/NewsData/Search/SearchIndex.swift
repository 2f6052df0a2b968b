import Foundation
import NewsCore
import SQLKit

/// The full-text index over articles, written in the same transaction as the article: what both engines share
/// (terms, documents, the words for "did you mean"); each engine's own SQL is in its ``SearchEngine``.
public enum SearchIndex {
    /// An analysed term as both engines store it: without its apostrophes and hyphens.
    public static func lexeme(_ term: String) -> String { IndexPosition.lexeme(term) }

    /// The index terms of `text`, position by position: positions separated by spaces, the terms of one position by
    /// `/` (see ``SearchTokenizer``); adds the terms of 3 to 40 letters not yet in `seen` to `vocabulary` and
    /// `seen`. A position with a common term also holds the pairs of that term with each term of the next position
    /// (``CommonWords``).
    static func document(
        _ text: String, analyzer: TextAnalyzer, vocabulary: inout [TermKey], seen: inout TermSet
    ) -> String {
        var document = String()
        document.reserveCapacity(text.utf8.count + text.utf8.count / 2)
        var previous: IndexPosition?
        analyzer.forEachIndexPosition(in: text) { position in
            if let previous {
                // The previous position's pairs with this one end its terms.
                previous.appendPairs(with: position, to: &document)
                document.append(" ")
            }
            document.append(position.text)
            previous = position
            for key in position.vocabulary where seen.insert(key) { vocabulary.append(key) }
        }
        return document
    }

    /// A term compared byte by byte (see ``NewsCore/TermKey``).
    public typealias TermKey = NewsCore.TermKey

    /// (Re)indexes `article` inside the caller's transaction.
    ///
    /// - Parameters:
    ///   - isNew: the article has never been indexed (it was just inserted), so there is no old entry to remove.
    ///   - analysed: the analysis of exactly this article's text when the caller made it beforehand (an import
    ///     does, on every core); made here otherwise.
    public static func update(
        _ article: Article, isNew: Bool = false, analysed: SearchDocument? = nil, analyzer: TextAnalyzer = .shared,
        in sql: any SQLDatabase
    ) async throws {
        guard let id = article.id else { return }
        var document =
            analysed
            ?? SearchDocument(
                id: id, title: article.title, lede: article.lede, teaser: article.teaser, body: article.body,
                analyzer: analyzer)
        document.id = id
        try await write([document], replacing: !isNew, in: sql)
    }

    /// Writes `documents` inside the caller's transaction, with their words for "did you mean".
    ///
    /// - Parameters:
    ///   - replacing: whether the documents may already be indexed (their old entries are removed first).
    ///   - vocabulary: the words to add for "did you mean"; by default every document's.
    static func write(
        _ documents: [SearchDocument], replacing: Bool, vocabulary: [String]? = nil, in sql: any SQLDatabase
    ) async throws {
        let terms = vocabulary ?? documents.flatMap { $0.vocabulary.map(\.term) }
        var start = 0
        while start < terms.count {
            let chunk = terms[start..<min(start + 500, terms.count)]
            var insert: SQLQueryString = "INSERT INTO search_terms (term) VALUES "
            for (index, term) in chunk.enumerated() { insert += (index == 0 ? "(" : ", (") + "\(bind: term))" }
            insert += " ON CONFLICT (term) DO NOTHING"
            try await sql.raw(insert).run()
            start += 500
        }
        // The last analysis of an article counts, as when they were written one after another.
        var last: [Int64: Int] = [:]
        for (index, document) in documents.enumerated() { last[document.id] = index }
        let latest = documents.indices.filter { last[documents[$0].id] == $0 }.map { documents[$0] }
        try await searchEngine(for: sql).write(latest, replacing: replacing, in: sql)
    }

    /// The version of the index's layout on both engines (an engine may add to it: `SearchEngine.layout`): an index
    /// of another layout is rebuilt when the server starts.
    /// - 2: a word's terms share a position (phrases are index questions); on SQLite, rowids ordered by time and
    ///   marked headline and lede terms.
    /// - 3: pairs of neighbouring terms where one is a common word (``CommonWords``), so that a phrase with such a
    ///   word is asked without that word's own long list.
    public static let layout = 3
}
