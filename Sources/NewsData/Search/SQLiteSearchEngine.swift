import Foundation
import NewsCore
import SQLKit

/// Search on SQLite: an FTS5 table (`search_index`, tokenised by ``SearchTokenizer``) whose columns hold the
/// analysed terms of headline, lede and body. Its rows are in order of time (``key``), and the headline's and
/// lede's terms are also written marked (``headMark``), so that a search reads each tier of its results newest
/// first and stops when the page is full (docs/adr/0010-search-read-in-time-order.md).
struct SQLiteSearchEngine: SearchEngine {
    /// ``SearchIndex/layout`` + 1: each body column ends with its story's rubric (``rubricMark``).
    let layout = SearchIndex.layout + 1

    /// Writes `documents` to the FTS5 table, ``rowsPerStatement`` at a time: each article's row gets the article's ``key`` as
    /// its rowid (kept in `articles.search_key`), and its headline and lede columns hold every term twice, as it is
    /// and with ``headMark`` before it.
    func write(_ documents: [SearchDocument], replacing: Bool, in sql: any SQLDatabase) async throws {
        var start = 0
        while start < documents.count {
            let chunk = documents[start..<min(start + Self.rowsPerStatement, documents.count)]
            start += chunk.count
            let ids = SQLGroupExpression(SQLList(chunk.map { SQLBind($0.id) }))
            if replacing {
                try await sql.raw(
                    "DELETE FROM search_index WHERE rowid IN (SELECT search_key FROM articles WHERE id IN \(ids) AND search_key IS NOT NULL)"
                ).run()
            }
            var keys: [Int64: (key: Int64, rubric: Int64?)] = [:]
            for row in try await sql.raw(
                "UPDATE articles SET search_key = \(unsafeRaw: Self.key) WHERE id IN \(ids) RETURNING id, search_key, rubric_id"
            ).all() {
                keys[try row.decode(column: "id", as: Int64.self)] = (
                    try row.decode(column: "search_key", as: Int64.self),
                    try row.decode(column: "rubric_id", as: Int64?.self)
                )
            }
            var insert: SQLQueryString = "INSERT INTO search_index (rowid, title, lede, body) VALUES "
            var rows = 0
            for document in chunk {
                guard let (key, rubric) = keys[document.id] else { continue }
                insert +=
                    (rows == 0 ? "" : ", ")
                    + "(\(bind: key), \(bind: Self.headColumn(document.title)), \(bind: Self.headColumn(document.lede)), \(bind: Self.bodyColumn(document.body, rubric: rubric)))"
                rows += 1
            }
            if rows > 0 { try await sql.raw(insert).run() }
        }
    }

    /// Empties the index, and stops FTS5 merging its segments while the rebuild writes them (``optimize(_:)`` merges
    /// them all once at the end, which costs less than merging as they come).
    func clear(in sql: any SQLDatabase) async throws {
        try await sql.raw("INSERT INTO search_index (search_index) VALUES ('delete-all')").run()
        try await sql.raw("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 0)").run()
    }

    /// FTS5 merges the index into one segment, and merges as it is written again (its default, 4 segments a level).
    func optimize(_ database: Database) async throws {
        try await database.transaction { sql in
            try await sql.raw("INSERT INTO search_index (search_index) VALUES ('optimize')").run()
            try await sql.raw("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 4)").run()
        }
    }

    /// FTS5 writes a new part of the index (a segment) at each commit, and by default merges a level's parts once it
    /// has four: an import of 20,000 stories spent a sixth of its time merging. During a bulk load it keeps
    /// ``bulkHashBytes`` of new terms in memory before writing them out and merges at ``bulkAutomerge`` parts a level,
    /// as FTS5 stores both in the index's settings; ``endBulkLoad(_:)`` puts the default back.
    func beginBulkLoad(_ database: Database) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', \(bind: Self.bulkHashBytes))"
            ).run()
            try await sql.raw(
                "INSERT INTO search_index (search_index, rank) VALUES ('automerge', \(bind: Self.bulkAutomerge))"
            ).run()
        }
    }

    /// Merges as FTS5 does by default again, then merges the levels that reached four parts, a bounded piece of work
    /// per transaction, until FTS5 reports nothing left to merge (its `merge` command changes no row).
    func endBulkLoad(_ database: Database) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "INSERT INTO search_index (search_index, rank) VALUES ('automerge', \(bind: Self.defaultAutomerge))"
            ).run()
        }
        for _ in 0..<Self.maxMergeRounds {
            let merged = try await database.transaction { sql -> Bool in
                let before = try await Self.totalChanges(sql)
                try await sql.raw(
                    "INSERT INTO search_index (search_index, rank) VALUES ('merge', \(bind: Self.mergePages))"
                ).run()
                // The command's own row counts once; more means it merged.
                return try await Self.totalChanges(sql) > before + 1
            }
            if !merged { break }
        }
    }

    func inBulkLoad(_ database: Database) async throws -> Bool {
        try await database.read { sql in
            guard
                let value = try await sql.raw("SELECT v FROM search_index_config WHERE k = 'automerge'").first()?
                    .decode(column: "v", as: Int.self)
            else { return false }
            return value != Self.defaultAutomerge
        }
    }

    private static func totalChanges(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT total_changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// New terms kept in memory before FTS5 writes them out during a bulk load (its default is 1 MB).
    static let bulkHashBytes = 32 * 1024 * 1024
    /// Parts a level of the index reaches before FTS5 merges them during a bulk load.
    static let bulkAutomerge = 16
    /// FTS5's own setting, used at all other times.
    static let defaultAutomerge = 4
    /// Pages of the index merged per transaction at the end of a bulk load, and how many such transactions at most.
    static let mergePages = 2000
    static let maxMergeRounds = 200

    /// The index answers phrases of up to ``maxPhraseCombinations`` combinations of terms.
    func checksText(_ phrase: [[String]]) -> Bool {
        phrase.count > 1 && Self.phrase(phrase) == nil
    }

    /// The matches of each tier (``tiers(_:)``, or all matches for "newest"), read from the index newest first and
    /// joined to their articles for the filters, until `offset + limit` are found. Each read stops as soon as it
    /// has the rows it needs, so a common word costs about what a rare one does.
    func hits(_ query: SearchQuery, in search: SearchRequest, offset: Int, limit: Int) async throws -> [SearchHit] {
        let tiers =
            search.order == .relevance ? Self.tiers(query) : [Self.excluding(query, from: Self.wanted(query))]
        let bounds = Self.bounds(of: search)
        let filters = search.filters
        let need = offset + limit
        // The index is the outer loop (CROSS JOIN keeps SQLite from reordering it), read in rowid order, so the
        // LIMIT stops it; each row finds its article by `search_key`.
        var hits: [SearchHit] = []
        for (tier, expression) in tiers.enumerated() where hits.count < need {
            let sqlQuery: SQLQueryString =
                "SELECT a.id FROM search_index CROSS JOIN articles a INDEXED BY articles_search_key ON a.search_key = search_index.rowid WHERE search_index MATCH \(bind: expression)\(bounds) \(filters) ORDER BY search_index.rowid DESC LIMIT \(bind: need - hits.count)"
            hits += try await search.database.read { sql in
                try await sql.raw(sqlQuery).all().map { row in
                    SearchHit(id: try row.decode(column: "id", as: Int64.self), score: Double(tier))
                }
            }
        }
        return Array(hits.dropFirst(offset).prefix(limit))
    }

    /// Counts the rows of the broadest tier (every match) as far as `cap`, in the index's order, so that a word in
    /// every story costs `cap` rows at most.
    func count(_ query: SearchQuery, in search: SearchRequest, cap: Int) async throws -> Int {
        let expression = Self.excluding(query, from: Self.wanted(query))
        let bounds = Self.bounds(of: search)
        return try await search.database.read { sql in
            if case .published(let now) = search.scope,
                let count = try await Self.publishedCount(
                    search.rubrics.isEmpty ? expression : "(\(expression)) AND \(Self.anyRubric(search.rubrics))",
                    bounds: bounds, now: now, cap: cap, in: sql)
            {
                return count
            }
            return try await sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_index CROSS JOIN articles a INDEXED BY articles_search_key ON a.search_key = search_index.rowid WHERE search_index MATCH \(bind: expression)\(bounds) \(search.filters) LIMIT \(bind: cap)) hits"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// How many stories hidden from readers (any status but published) a count of readers' results looks past
    /// before it joins every match to its story instead.
    static let hiddenCountLimit = 1000

    /// A readers' count without reading each match's story: a published story's index row is placed by its
    /// publication time, so `bounds` (the time filters and "published by now") already are exact on the rowid, and
    /// the only matches readers must not see are the stories of another status, which `articles_hidden` lists (a
    /// rubric filter is a term of the index, ``rubricMark``).
    /// With `hidden` of them in range, the first `cap + hidden` matches hold `cap` readers' stories whenever there
    /// are that many, so the count is exact up to `cap` as the join's. Nil when more than ``hiddenCountLimit`` stories
    /// are hidden (a newsroom with that many drafts): the caller joins instead.
    static func publishedCount(
        _ expression: String, bounds: SQLQueryString, now: Date, cap: Int, in sql: any SQLDatabase
    ) async throws -> Int? {
        let high = key(from: now) + 1_048_575
        let hidden =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM articles INDEXED BY articles_hidden WHERE status <> 'published' AND search_key <= \(bind: high) LIMIT \(bind: hiddenCountLimit + 1))"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard hidden <= hiddenCountLimit else { return nil }
        let matches: SQLQueryString =
            "SELECT search_index.rowid AS k FROM search_index WHERE search_index MATCH \(bind: expression)\(bounds) LIMIT \(bind: cap + hidden)"
        let counted: SQLQueryString =
            hidden == 0
            ? "SELECT COUNT(*) AS n FROM (\(matches))"
            : "SELECT COUNT(*) AS n FROM (\(matches)) m WHERE NOT EXISTS (SELECT 1 FROM articles h INDEXED BY articles_hidden WHERE h.status <> 'published' AND h.search_key = m.k)"
        let count = try await sql.raw(counted).first()?.decode(column: "n", as: Int.self) ?? 0
        return min(count, cap)
    }

    /// Asks the index of each story (its rowid, found by the story's `search_key`) whether its lede or body column
    /// has any of the terms: a few lookups in the terms' lists, where reading the texts word by word costs each
    /// result that matched by its headline alone a few hundred words' analysis.
    func textMatches(_ terms: [String], among ids: [Int64], in database: Database) async throws -> Set<Int64> {
        guard !terms.isEmpty, !ids.isEmpty else { return [] }
        let expression = "{lede body} : (" + terms.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        return try await database.read { sql in
            Set(
                try await sql.raw(
                    "SELECT a.id FROM articles a CROSS JOIN search_index ON search_index.rowid = a.search_key WHERE a.id IN \(list) AND search_index MATCH \(bind: expression)"
                ).all().map { try $0.decode(column: "id", as: Int64.self) })
        }
    }

    /// Ranks by FTS5's BM25 (the headline weighs most; a rare word more than a common one).
    func similar(_ words: [[String]], excluding: [Int64], now: Date, limit: Int, in sql: any SQLDatabase)
        async throws -> [Int64]
    {
        let terms = Set(words.joined()).sorted()
        guard !terms.isEmpty, limit > 0 else { return [] }
        let expression = "(" + terms.map { "\"\(Self.headMark)\($0)\"" }.joined(separator: " OR ") + ")"
        let taken = SQLGroupExpression(SQLList((excluding + [-1]).map { SQLBind($0) }))
        return try await sql.raw(
            "SELECT a.id FROM (SELECT rowid AS k, bm25(search_index, 3.0, 1.0, 0.0) AS score FROM search_index WHERE search_index MATCH \(bind: expression) AND rowid <= \(bind: Self.key(from: now) + 1_048_575) ORDER BY rowid DESC LIMIT \(bind: relatedCandidates)) s CROSS JOIN articles a INDEXED BY articles_search_key ON a.search_key = s.k WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) AND a.id NOT IN \(taken) ORDER BY s.score, s.k DESC LIMIT \(bind: limit)"
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// The first `bytes` bytes, cut as a blob: `substr` on text counts characters, and reads twice the bytes of a
    /// Cyrillic text (two a letter) to reach as many.
    func bodyStart(bytes: Int) -> SQLQueryString {
        "CAST(substr(CAST(a.body AS BLOB), 1, \(unsafeRaw: String(bytes))) AS TEXT) AS body"
    }

    /// The filters' times as bounds on the rowid (which is ordered by time), so the index skips what they exclude;
    /// the filters themselves still apply. Times outside the keys' range give no bound.
    static func bounds(of search: SearchRequest) -> SQLQueryString {
        func key(_ date: Date) -> Int64? {
            abs(date.millisecondsSince1970) < 8_000_000_000_000 ? Self.key(from: date) : nil
        }
        var bounds: SQLQueryString = ""
        if case .published(let now) = search.scope, let high = key(now) {
            bounds += " AND search_index.rowid <= \(bind: high + 1_048_575)"
        }
        if let from = search.from, let low = key(from) { bounds += " AND search_index.rowid >= \(bind: low)" }
        if let to = search.to, let high = key(to) { bounds += " AND search_index.rowid < \(bind: high)" }
        return bounds
    }

    /// An FTS5 prefix query on the marked headline terms, read newest first.
    func headlines(_ words: HeadlineWords, now: Date, limit: Int, in database: Database) async throws -> [Int64] {
        let mark = Self.headMark
        func any(_ terms: [String]) -> String {
            "(" + terms.map { "\"\(mark)\($0)\"" }.joined(separator: " OR ") + ")"
        }
        var groups = words.whole.map(any)
        if !words.prefixes.isEmpty {
            groups.append(
                "("
                    + (words.prefixes.map { "\"\(mark)\($0)\" *" } + words.lastTerms.map { "\"\(mark)\($0)\"" })
                    .joined(separator: " OR ") + ")")
        }
        let expression = "{title} : (" + groups.joined(separator: " AND ") + ")"
        let high = Self.key(from: now) + 1_048_575
        return try await database.read { sql in
            try await sql.raw(
                "SELECT a.id FROM search_index CROSS JOIN articles a INDEXED BY articles_search_key ON a.search_key = search_index.rowid WHERE search_index MATCH \(bind: expression) AND search_index.rowid <= \(bind: high) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) ORDER BY search_index.rowid DESC LIMIT \(bind: limit)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    /// How many articles one statement writes to the index. FTS5 writes its pending terms to disk as a new segment
    /// at the end of every statement (and later merges the segments), so a reindex or an import that writes many
    /// articles a statement writes fewer, larger segments.
    static let rowsPerStatement = 500

    /// The mark before a headline or lede term in the index, so that "the word is in the headline or lede" is a
    /// term of its own whose list of articles is short: a private-use character, which no term holds (the analyser
    /// keeps letters and digits only) and which FTS5's tokenizer keeps inside a token.
    static let headMark = "\u{E000}"

    /// The mark of a story's rubric in the index: the last term of its body column is this mark and the rubric's id,
    /// so that a search within a rubric asks the index (a rubric's stories are a term's list) instead of reading each
    /// match's story. A private-use character, as ``headMark``; the row is written again whenever its story is saved,
    /// so the mark follows the story's rubric (rubrics are never deleted).
    static let rubricMark = "\u{E002}"

    /// A body's terms for the index, then its rubric's mark (none for a story without a rubric).
    static func bodyColumn(_ terms: String, rubric: Int64?) -> String {
        guard let rubric else { return terms }
        return terms.isEmpty ? rubricMark + String(rubric) : terms + " " + rubricMark + String(rubric)
    }

    /// Any of `rubrics`, as an FTS5 expression of their marks.
    static func anyRubric(_ rubrics: [Int64]) -> String {
        "(" + rubrics.map { "\"\(rubricMark)\($0)\"" }.joined(separator: " OR ") + ")"
    }

    /// A headline's or lede's terms for the index: at each position, every term twice, as it is and marked with
    /// ``headMark``.
    static func headColumn(_ terms: String) -> String {
        // Read as bytes: split by `Character` cost as much as the rest of storing the headline (the separators are
        // ASCII, and a term's bytes are copied as they are).
        let space = UInt8(ascii: " ")
        let slash = UInt8(ascii: "/")
        let mark = Array(headMark.utf8)
        let bytes = Array(terms.utf8)
        var column: [UInt8] = []
        column.reserveCapacity(bytes.count * 2 + 16)
        var start = 0
        while start < bytes.count {
            guard bytes[start] != space else {
                start += 1
                continue
            }
            let end = bytes[start...].firstIndex(of: space) ?? bytes.count
            if !column.isEmpty { column.append(space) }
            var term = start
            var first = true
            while term < end {
                guard bytes[term] != slash else {
                    term += 1
                    continue
                }
                let termEnd = bytes[term..<end].firstIndex(of: slash) ?? end
                if !first { column.append(slash) }
                first = false
                column.append(contentsOf: bytes[term..<termEnd])
                column.append(slash)
                column.append(contentsOf: mark)
                column.append(contentsOf: bytes[term..<termEnd])
                term = termEnd
            }
            start = end
        }
        return String(decoding: column, as: UTF8.self)
    }

    /// The rowid of an article's entry in the index, as SQL over the `articles` row: its publication time (its
    /// creation time while it has none) in milliseconds, times 2²⁰, plus the low 20 bits of its id. The index is
    /// therefore ordered by time, so "newest first" is read straight from it and stops after the rows a page
    /// needs. Times are clamped to ±8·10¹² ms (about the years 1716 to 2223) so the product fits 63 bits.
    static let key =
        "(max(-8000000000000, min(8000000000000, coalesce(published_at, created_at, 0))) * 1048576 + (id % 1048576))"

    /// The smallest rowid of an entry published at `date` or later (the same arithmetic as ``key``).
    static func key(from date: Date) -> Int64 {
        max(-8_000_000_000_000, min(8_000_000_000_000, date.millisecondsSince1970)) * 1_048_576
    }

    /// The most term combinations a phrase is asked as (one FTS5 phrase each, any of them matching).
    static let maxPhraseCombinations = 64

    /// An FTS5 query that matches where the phrase's words stand side by side (each word any of its terms): one
    /// phrase per combination of terms, a common word asked through its pairs with its neighbours
    /// (``CommonWords/phraseUnits(_:)``), or through its own terms when the pairs make too many combinations; nil
    /// when even those are more than ``maxPhraseCombinations``, and the words are then checked in the text
    /// (``checksText(_:)``). Every term gets `mark` before it.
    static func phrase(_ phrase: [[String]], mark: String = "") -> String? {
        guard phrase.count > 1 else { return nil }
        for units in [CommonWords.phraseUnits(phrase), phrase]
        where units.reduce(1, { $0 * $1.count }) <= maxPhraseCombinations {
            var combinations: [[String]] = [[]]
            for group in units { combinations = combinations.flatMap { prefix in group.map { prefix + [mark + $0] } } }
            return "(" + combinations.map { "\"" + $0.joined(separator: " ") + "\"" }.joined(separator: " OR ") + ")"
        }
        return nil
    }

    /// The query texts for the tiers of a search by relevance, best first; each tier's matches are read newest
    /// first, and no article is in two tiers:
    /// 1. every word in the headline;
    /// 2. every word in the headline or the lede, not all in the headline;
    /// 3. some of the words in the headline or the lede (a query of several words without a phrase: a phrase is
    ///    what the reader looks for, and this tier would read its matches twice);
    /// 4. every other match.
    ///
    /// Terms are plain lexemes, so nothing the reader typed can become query syntax.
    static func tiers(_ query: SearchQuery) -> [String] {
        let head = "(" + wanted(query, marked: true) + ")"
        let all = "(" + wanted(query) + ")"
        let groups = query.required + query.phrases.flatMap { $0 }
        var tiers = ["{title} : " + head, head + " NOT ({title} : " + head + ")"]
        if groups.count > 1, query.phrases.isEmpty {
            let some =
                "(" + Set(groups.joined()).sorted().map { "\"\(headMark)\($0)\"" }.joined(separator: " OR ") + ")"
            tiers += ["(" + all + " AND " + some + ") NOT " + head, all + " NOT " + some]
        } else {
            tiers.append(all + " NOT " + head)
        }
        return tiers.map { excluding(query, from: $0) }
    }

    /// The words and phrases a match must have, for FTS5; with `marked`, as headline and lede terms (``headMark``).
    static func wanted(_ query: SearchQuery, marked: Bool = false) -> String {
        let mark = marked ? headMark : ""
        func group(_ terms: [String]) -> String {
            terms.count == 1
                ? "\"\(mark)\(terms[0])\"" : "(" + terms.map { "\"\(mark)\($0)\"" }.joined(separator: " OR ") + ")"
        }
        // A phrase the index answers stands for its words (asking a common word's own list would read most of the
        // index); one checked in texts needs its words.
        var parts = query.required.map(group)
        for phrase in query.phrases {
            if let exact = Self.phrase(phrase, mark: mark) { parts.append(exact) } else { parts += phrase.map(group) }
        }
        return parts.joined(separator: " AND ")
    }

    /// `expression` without the articles that have an excluded word anywhere.
    static func excluding(_ query: SearchQuery, from expression: String) -> String {
        var expression = expression
        for excluded in query.excluded {
            let group =
                excluded.count == 1
                ? "\"\(excluded[0])\"" : "(" + excluded.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
            expression = "(" + expression + ") NOT " + group
        }
        return expression
    }
}
