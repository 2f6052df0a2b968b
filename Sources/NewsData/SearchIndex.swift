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

    /// The longest phrase checked as a sequence.
    public static let maxPhraseWords = 12

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

/// An article's analysed text, ready to be written to the index: made without the database, so many can be made
/// at once on every core while one transaction writes them.
public struct SearchDocument: Sendable, Equatable {
    public var id: Int64
    /// The index terms of the headline, of lede and teaser, and of the body, each separated by spaces.
    public var title: String
    public var lede: String
    public var body: String

    /// The words "did you mean" may suggest from this document: its terms of 3 to 40 letters, each once.
    public var vocabulary: [String]

    /// Analyses an article's searchable text.
    public init(id: Int64, title: String, lede: String, teaser: String?, body: [Block], analyzer: TextAnalyzer) {
        self.id = id
        var vocabulary = Set<SearchIndex.TermKey>()
        self.title = SearchIndex.document(title, analyzer: analyzer, vocabulary: &vocabulary)
        self.lede = SearchIndex.document(
            [lede, teaser ?? ""].joined(separator: " "), analyzer: analyzer, vocabulary: &vocabulary)
        self.body = SearchIndex.document(
            body.map(\.plainText).joined(separator: " "), analyzer: analyzer, vocabulary: &vocabulary)
        self.vocabulary = vocabulary.map(\.term)
    }
}

/// The full-text index over articles, for both engines. SQLite: an FTS5 table whose columns hold the
/// analysed terms of headline, lede and body. PostgreSQL: a weighted `tsvector` column with a GIN
/// index, and a generated one with the headline's and lede's terms only, for ranking. Both are written in the
/// same transaction as the article.
public enum SearchIndex {
    /// How SQLite ranks matches: bm25 with the headline weighing 10, the lede 4 and the body 1 (lower is better).
    static let sqliteRank = "bm25(search_index, 10.0, 4.0, 1.0)"

    /// An analysed term as both engines store it: without its apostrophes and hyphens (the analyser's terms hold
    /// nothing else that is not a letter or a digit).
    public static func lexeme(_ term: String) -> String {
        guard term.utf8.contains(where: { $0 == 0x27 || $0 == 0x2D }) else { return term }
        var result = String()
        result.unicodeScalars.append(contentsOf: term.unicodeScalars.filter { $0 != "'" && $0 != "-" })
        return result
    }

    /// The index terms of `text` separated by spaces; adds those of 3 to 40 letters to `vocabulary`.
    static func document(_ text: String, analyzer: TextAnalyzer, vocabulary: inout Set<TermKey>) -> String {
        var document = String()
        document.reserveCapacity(text.utf8.count)
        for term in analyzer.terms(text) {
            let lexeme = lexeme(term)
            guard !lexeme.isEmpty else { continue }
            if !document.isEmpty { document.append(" ") }
            document.append(lexeme)
            if lexeme.utf8.count >= 3, (3...40).contains(lexeme.unicodeScalars.count) {
                vocabulary.insert(TermKey(term: lexeme))
            }
        }
        return document
    }

    /// A term as a set member compared byte by byte: terms are already normalised, so this is exact, and it
    /// spares `String`'s Unicode-aware hashing.
    public struct TermKey: Hashable, Sendable {
        public let term: String
        let hash: Int

        public init(term: String) {
            self.term = term
            hash = ByteSearch.hashBytes(term)
        }

        public static func == (lhs: TermKey, rhs: TermKey) -> Bool {
            lhs.hash == rhs.hash && ByteSearch.sameBytes(lhs.term, rhs.term)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

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
        let terms = vocabulary ?? documents.flatMap(\.vocabulary)
        var start = 0
        while start < terms.count {
            let chunk = terms[start..<min(start + 500, terms.count)]
            var insert: SQLQueryString = "INSERT INTO search_terms (term) VALUES "
            for (index, term) in chunk.enumerated() { insert += (index == 0 ? "(" : ", (") + "\(bind: term))" }
            insert += " ON CONFLICT (term) DO NOTHING"
            try await sql.raw(insert).run()
            start += 500
        }
        for document in documents {
            switch sql.dialect.name {
            case "sqlite":
                if replacing { try await sql.raw("DELETE FROM search_index WHERE rowid = \(bind: document.id)").run() }
                try await sql.raw(
                    "INSERT INTO search_index (rowid, title, lede, body) VALUES (\(bind: document.id), \(bind: document.title), \(bind: document.lede), \(bind: document.body))"
                ).run()
            default:
                try await sql.raw(
                    """
                    UPDATE articles SET search_vector =
                        setweight(to_tsvector('simple', \(bind: document.title)), 'A') ||
                        setweight(to_tsvector('simple', \(bind: document.lede)), 'B') ||
                        setweight(to_tsvector('simple', \(bind: document.body)), 'D')
                    WHERE id = \(bind: document.id)
                    """
                ).run()
            }
        }
    }

    /// Empties the index before a full rebuild (PostgreSQL's vectors are simply overwritten).
    static func clear(in sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("INSERT INTO search_index (search_index) VALUES ('delete-all')").run()
        }
    }

    /// Tidies the index after a full rebuild, which makes searches faster. SQLite: FTS5 merges it into one
    /// segment. PostgreSQL: `VACUUM (ANALYZE)` (outside a transaction, where it must run) drops the row versions
    /// the rebuild replaced, moves the GIN index's pending entries into the index, and gives the planner fresh
    /// statistics.
    static func optimize(_ database: Database) async throws {
        switch database.dialect {
        case .sqlite:
            try await database.transaction { sql in
                try await sql.raw("INSERT INTO search_index (search_index) VALUES ('optimize')").run()
            }
        case .postgres:
            try await database.read { sql in try await sql.raw("VACUUM (ANALYZE) articles").run() }
        }
    }

    /// Terms a word of a document may give at most (lemmas, a stem, and for a hyphenated word its parts' too).
    static let maxTermsPerWord = 20

    /// FTS5 `NEAR` groups that keep only documents where a phrase's words stand close together, so that far fewer
    /// candidates need the exact check; nil when the words have too many term combinations to list.
    static func near(_ phrase: [[String]]) -> String? {
        guard phrase.count > 1, phrase.reduce(1, { $0 * $1.count }) <= 16 else { return nil }
        var combinations: [[String]] = [[]]
        for group in phrase { combinations = combinations.flatMap { prefix in group.map { prefix + [$0] } } }
        let distance = (phrase.count - 1) * maxTermsPerWord
        let groups = combinations.map { terms in
            "NEAR(" + terms.map { "\"\($0)\"" }.joined(separator: " ") + ", \(distance))"
        }
        return "(" + groups.joined(separator: " OR ") + ")"
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
            for phrase in query.phrases { if let near = near(phrase) { expression += " AND " + near } }
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

    /// PostgreSQL's query text for ranking a match: any of the query's wanted terms, so that a headline with one
    /// of two words still ranks above a body with both (`ts_rank` of an AND scores only terms found together).
    static func postgresRankExpression(_ query: SearchQuery) -> String {
        (query.required + query.phrases.flatMap { $0 }).flatMap { $0 }.map { "'\($0)'" }.joined(separator: " | ")
    }
}
