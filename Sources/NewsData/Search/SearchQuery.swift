import Foundation
import NewsCore

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

    /// The longest phrase checked as a sequence.
    public static let maxPhraseWords = 12

    /// Whether there is anything to look for.
    public var isEmpty: Bool { required.isEmpty && phrases.isEmpty }

    /// The index terms a result's text is marked at: those of the words and of the phrases' words, each once.
    public var markedTerms: [String] {
        var terms: [String] = []
        for term in (required + phrases.flatMap { $0 }).joined() where !terms.contains(term) { terms.append(term) }
        return terms
    }

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
            // A phrase is checked word by word in candidate texts: past `maxPhraseWords` its words are only required.
            if groups.count == 1 {
                required.append(groups[0])
            } else if groups.count > 1 {
                phrases.append(Array(groups.prefix(Self.maxPhraseWords)))
                required += groups.dropFirst(Self.maxPhraseWords)
            }
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
                // A one-letter word ("-з", "-і") is a preposition or a conjunction: nearly every article has it, so
                // excluding it means nothing to a reader and would make the index read every match of the rest.
                if token.surface.count > 1 { excluded.append(terms) }
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
