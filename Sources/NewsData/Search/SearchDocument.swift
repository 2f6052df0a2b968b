import Foundation
import NewsCore

/// One hit of a search, before its page data is loaded.
public struct SearchHit: Sendable, Equatable {
    public var id: Int64
    /// The tier it was found in (0 the best).
    public var score: Double

    /// Whether the story's lede, teaser or body is known to hold a searched word: true in every tier but the first
    /// of a search by relevance (a story is there because not all its words are in the headline); unknown (nil) in
    /// the first tier and for "newest", where ``SearchEngine/textMatches(_:among:in:)`` answers.
    public var inText: Bool? { score > 0 ? true : nil }
}

/// An article's analysed text, ready to be written to the index: made without the database, so many can be made
/// at once on every core while one transaction writes them.
public struct SearchDocument: Sendable, Equatable {
    public var id: Int64
    /// The index terms of the headline, of lede and teaser, and of the body, each separated by spaces.
    public var title: String
    public var lede: String
    public var body: String

    /// The words "did you mean" may suggest from this document: its terms of 3 to 40 letters, each once, with the
    /// hashes they were gathered by (made here, on every core, not again where one transaction writes them).
    public var vocabulary: [SearchIndex.TermKey]

    /// Analyses an article's searchable text.
    public init(id: Int64, title: String, lede: String, teaser: String?, body: [Block], analyzer: TextAnalyzer) {
        self.id = id
        var vocabulary: [SearchIndex.TermKey] = []
        var seen = TermSet(capacity: 1024)
        self.title = SearchIndex.document(title, analyzer: analyzer, vocabulary: &vocabulary, seen: &seen)
        self.lede = SearchIndex.document(
            [lede, teaser ?? ""].joined(separator: " "), analyzer: analyzer, vocabulary: &vocabulary, seen: &seen)
        self.body = SearchIndex.document(
            body.map(\.plainText).joined(separator: " "), analyzer: analyzer, vocabulary: &vocabulary, seen: &seen)
        self.vocabulary = vocabulary
    }
}
