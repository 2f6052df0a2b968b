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
/// analysed terms of headline, lede and body, its rows in order of time (``sqliteKey``), the headline's and lede's
/// terms also marked (``headMark``) so that a search reads each tier of its results newest first and stops when
/// the page is full. PostgreSQL: a weighted `tsvector` column with a GIN
/// index, and a generated one with the headline's and lede's terms only, for ranking. Both are written in the
/// same transaction as the article.
public enum SearchIndex {
    /// An analysed term as both engines store it: without its apostrophes and hyphens (the analyser's terms hold
    /// nothing else that is not a letter or a digit).
    public static func lexeme(_ term: String) -> String {
        guard term.utf8.contains(where: { $0 == 0x27 || $0 == 0x2D }) else { return term }
        var result = String()
        result.unicodeScalars.append(contentsOf: term.unicodeScalars.filter { $0 != "'" && $0 != "-" })
        return result
    }

    /// The index terms of `text`, position by position: positions separated by spaces, the terms of one position by
    /// `/` (see ``SearchTokenizer``); adds the terms of 3 to 40 letters to `vocabulary`.
    static func document(_ text: String, analyzer: TextAnalyzer, vocabulary: inout Set<TermKey>) -> String {
        var document = String()
        document.reserveCapacity(text.utf8.count)
        var position: [String] = []
        analyzer.forEachPosition(in: text) { terms in
            position.removeAll(keepingCapacity: true)
            for term in terms {
                let lexeme = lexeme(term)
                guard !lexeme.isEmpty, !position.contains(lexeme) else { continue }
                position.append(lexeme)
                if lexeme.utf8.count >= 3, (3...40).contains(lexeme.unicodeScalars.count) {
                    vocabulary.insert(TermKey(term: lexeme))
                }
            }
            guard !position.isEmpty else { return }
            if !document.isEmpty { document.append(" ") }
            for (index, lexeme) in position.enumerated() {
                if index > 0 { document.append("/") }
                document.append(lexeme)
            }
        }
        return document
    }

    /// A document's terms as a PostgreSQL `tsvector` literal, each with its position (positions past 16,383, the
    /// most PostgreSQL keeps, all count as 16,383). Terms hold letters and digits only, so none needs quoting.
    static func postgresVector(_ document: String) -> String {
        var vector = String()
        vector.reserveCapacity(document.utf8.count * 2)
        for (index, position) in document.split(separator: " ").enumerated() {
            let place = String(min(index + 1, 16_383))
            for term in position.split(separator: "/") {
                if !vector.isEmpty { vector.append(" ") }
                vector.append("'")
                vector.append(contentsOf: term)
                vector.append("':")
                vector.append(place)
            }
        }
        return vector
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
        if sql.dialect.name == "sqlite" {
            try await writeSQLite(documents, replacing: replacing, in: sql)
            return
        }
        for document in documents {
            try await sql.raw(
                """
                UPDATE articles SET search_vector =
                    setweight(\(bind: postgresVector(document.title))::tsvector, 'A') ||
                    setweight(\(bind: postgresVector(document.lede))::tsvector, 'B') ||
                    setweight(\(bind: postgresVector(document.body))::tsvector, 'D')
                WHERE id = \(bind: document.id)
                """
            ).run()
        }
    }

    /// Writes `documents` to SQLite's FTS5 table, a hundred at a time: each article's row gets the article's
    /// ``sqliteKey`` as its rowid (kept in `articles.search_key`), and its headline and lede columns hold every term
    /// twice, as it is and with ``headMark`` before it.
    private static func writeSQLite(
        _ documents: [SearchDocument], replacing: Bool, in sql: any SQLDatabase
    ) async throws {
        // The last analysis of an article counts, as when they were written one after another.
        var latest: [Int64: Int] = [:]
        for (index, document) in documents.enumerated() { latest[document.id] = index }
        let unique = documents.indices.filter { latest[documents[$0].id] == $0 }.map { documents[$0] }
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + 100, unique.count)]
            start += chunk.count
            let ids = SQLGroupExpression(SQLList(chunk.map { SQLBind($0.id) }))
            if replacing {
                try await sql.raw(
                    "DELETE FROM search_index WHERE rowid IN (SELECT search_key FROM articles WHERE id IN \(ids) AND search_key IS NOT NULL)"
                ).run()
            }
            var keys: [Int64: Int64] = [:]
            for row in try await sql.raw(
                "UPDATE articles SET search_key = \(unsafeRaw: sqliteKey) WHERE id IN \(ids) RETURNING id, search_key"
            ).all() {
                keys[try row.decode(column: "id", as: Int64.self)] = try row.decode(
                    column: "search_key", as: Int64.self)
            }
            var insert: SQLQueryString = "INSERT INTO search_index (rowid, title, lede, body) VALUES "
            var rows = 0
            for document in chunk {
                guard let key = keys[document.id] else { continue }
                insert +=
                    (rows == 0 ? "" : ", ")
                    + "(\(bind: key), \(bind: headColumn(document.title)), \(bind: headColumn(document.lede)), \(bind: document.body))"
                rows += 1
            }
            if rows > 0 { try await sql.raw(insert).run() }
        }
    }

    /// The mark before a headline or lede term in SQLite's index, so that "the word is in the headline or lede" is
    /// a term of its own whose list of articles is short: a private-use character, which no term holds (the
    /// analyser keeps letters and digits only) and which FTS5's tokenizer keeps inside a token.
    static let headMark = "\u{E000}"

    /// A headline's or lede's terms for SQLite's index: at each position, every term twice, as it is and marked with
    /// ``headMark``.
    static func headColumn(_ terms: String) -> String {
        var column = String()
        column.reserveCapacity(terms.utf8.count * 2 + 16)
        for position in terms.split(separator: " ") {
            if !column.isEmpty { column.append(" ") }
            for (index, term) in position.split(separator: "/").enumerated() {
                if index > 0 { column.append("/") }
                column.append(contentsOf: term)
                column.append("/")
                column.append(headMark)
                column.append(contentsOf: term)
            }
        }
        return column
    }

    /// The rowid of an article's entry in SQLite's index, as SQL over the `articles` row: its publication time
    /// (its creation time while it has none) in milliseconds, times 2²⁰, plus the low 20 bits of its id. The
    /// index is therefore ordered by time, so "newest first" is read straight from it and stops after the rows a
    /// page needs. Times are clamped to ±8·10¹² ms (about the years 1716 to 2223) so the product fits 63 bits.
    static let sqliteKey =
        "(max(-8000000000000, min(8000000000000, coalesce(published_at, created_at, 0))) * 1048576 + (id % 1048576))"

    /// The smallest rowid of an entry published at `date` or later (the same arithmetic as ``sqliteKey``).
    static func sqliteKey(from date: Date) -> Int64 {
        max(-8_000_000_000_000, min(8_000_000_000_000, date.millisecondsSince1970)) * 1_048_576
    }

    /// The version of the index's layout: an index of another layout is rebuilt when the server starts.
    /// - 2: a word's terms share a position (phrases are index questions); on SQLite, rowids ordered by time and
    ///   marked headline and lede terms.
    public static let layout = 2

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

    /// The most term combinations a phrase is asked as in SQLite (one FTS5 phrase each, any of them matching).
    static let maxPhraseCombinations = 64

    /// An FTS5 query that matches where the phrase's words stand side by side (each word any of its terms): one
    /// phrase per combination of terms; nil when there are more than ``maxPhraseCombinations``, and the words are
    /// then checked in the text (``checksText(_:dialect:)``).
    static func sqlitePhrase(_ phrase: [[String]]) -> String? {
        guard phrase.count > 1, phrase.reduce(1, { $0 * $1.count }) <= maxPhraseCombinations else { return nil }
        var combinations: [[String]] = [[]]
        for group in phrase { combinations = combinations.flatMap { prefix in group.map { prefix + [$0] } } }
        return "(" + combinations.map { "\"" + $0.joined(separator: " ") + "\"" }.joined(separator: " OR ") + ")"
    }

    /// Whether the engine's index cannot answer `phrase` by itself, so its words' order is checked in candidates'
    /// texts. PostgreSQL's phrase operator takes any number of alternatives; SQLite's index answers phrases of up to
    /// ``maxPhraseCombinations`` combinations.
    static func checksText(_ phrase: [[String]], dialect: String) -> Bool {
        dialect == "sqlite" && phrase.count > 1 && sqlitePhrase(phrase) == nil
    }

    /// The engine's query text for `query`: terms are plain lexemes, so nothing the reader typed can
    /// become query syntax.
    static func matchExpression(_ query: SearchQuery, dialect: String) -> String {
        if dialect == "sqlite" { return sqliteExcluding(query, from: sqliteWanted(query, marked: false)) }
        let groups = query.required + query.phrases.flatMap { $0 }
        func group(_ terms: [String]) -> String {
            terms.count == 1 ? "'\(terms[0])'" : "(" + terms.map { "'\($0)'" }.joined(separator: " | ") + ")"
        }
        var expression = groups.map(group).joined(separator: " & ")
        for phrase in query.phrases where phrase.count > 1 {
            expression += " & (" + phrase.map(group).joined(separator: " <-> ") + ")"
        }
        for excluded in query.excluded { expression += " & !" + group(excluded) }
        return expression
    }

    /// SQLite's query texts for the tiers of a search by relevance, best first; each tier's matches are read
    /// newest first, and no article is in two tiers:
    /// 1. every word in the headline;
    /// 2. every word in the headline or the lede, not all in the headline;
    /// 3. some of the words in the headline or the lede (a query of several words);
    /// 4. every other match.
    static func sqliteTiers(_ query: SearchQuery) -> [String] {
        let head = "(" + sqliteWanted(query, marked: true) + ")"
        let all = "(" + sqliteWanted(query, marked: false) + ")"
        let groups = query.required + query.phrases.flatMap { $0 }
        var tiers = ["{title} : " + head, head + " NOT ({title} : " + head + ")"]
        if groups.count > 1 {
            let some =
                "(" + Set(groups.joined()).sorted().map { "\"\(headMark)\($0)\"" }.joined(separator: " OR ") + ")"
            tiers += ["(" + all + " AND " + some + ") NOT " + head, all + " NOT " + some]
        } else {
            tiers.append(all + " NOT " + head)
        }
        return tiers.map { sqliteExcluding(query, from: $0) }
    }

    /// The words and phrases a match must have, for FTS5; with `marked`, as headline and lede terms (``headMark``).
    private static func sqliteWanted(_ query: SearchQuery, marked: Bool) -> String {
        let mark = marked ? headMark : ""
        func group(_ terms: [String]) -> String {
            terms.count == 1
                ? "\"\(mark)\(terms[0])\"" : "(" + terms.map { "\"\(mark)\($0)\"" }.joined(separator: " OR ") + ")"
        }
        var expression = (query.required + query.phrases.flatMap { $0 }).map(group).joined(separator: " AND ")
        for phrase in query.phrases {
            if let exact = sqlitePhrase(phrase.map { $0.map { mark + $0 } }) { expression += " AND " + exact }
        }
        return expression
    }

    /// `expression` without the articles that have an excluded word anywhere.
    private static func sqliteExcluding(_ query: SearchQuery, from expression: String) -> String {
        var expression = expression
        for excluded in query.excluded {
            let group =
                excluded.count == 1
                ? "\"\(excluded[0])\"" : "(" + excluded.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
            expression = "(" + expression + ") NOT " + group
        }
        return expression
    }

    /// PostgreSQL's query text for ranking a match: any of the query's wanted terms, so that a headline with one
    /// of two words still ranks above a body with both (`ts_rank` of an AND scores only terms found together).
    static func postgresRankExpression(_ query: SearchQuery) -> String {
        (query.required + query.phrases.flatMap { $0 }).flatMap { $0 }.map { "'\($0)'" }.joined(separator: " | ")
    }
}
