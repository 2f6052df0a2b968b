import Foundation
import NewsCore
import SQLKit

/// Search on PostgreSQL: a weighted `tsvector` column of `articles` (`search_vector`: headline A, lede B, body D)
/// and two generated ones, the headline's terms (`search_title`) and the headline's and lede's (`search_head`),
/// each with a GIN index. A search by relevance reads tiers, as on SQLite, each newest first
/// (``hits(_:in:offset:limit:)``). The pairs of a common word and the next (``CommonWords``) are a vector of their own,
/// `search_pairs`, with a GIN index of its own, from which a phrase with a common word takes its candidates.
struct PostgresSearchEngine: SearchEngine {
    let layout = SearchIndex.layout

    /// Sets the documents' vectors, a hundred articles a statement: terms with their positions, as a `tsvector`
    /// literal each, and their common-word pairs apart (``vector(_:pairs:)``). There is no old entry to remove: the
    /// vectors are overwritten.
    func write(_ documents: [SearchDocument], replacing: Bool, in sql: any SQLDatabase) async throws {
        var start = 0
        while start < documents.count {
            let chunk = documents[start..<min(start + 100, documents.count)]
            start += chunk.count
            let rows = chunk.map { document in
                var pairs: [UInt8] = []
                let vectors = [document.title, document.lede, document.body].map { Self.vector($0, pairs: &pairs) }
                return SQLGroupExpression(
                    [SQLBind(document.id)] + vectors.map { SQLBind($0) }
                        + [SQLBind(String(decoding: pairs, as: UTF8.self))] as [any SQLExpression])
            }
            try await sql.raw(
                """
                UPDATE articles AS a SET search_vector =
                    setweight(v.title::tsvector, 'A') || setweight(v.lede::tsvector, 'B') || setweight(v.body::tsvector, 'D'),
                    search_pairs = v.pairs::tsvector
                FROM (VALUES \(SQLList(rows))) AS v (id, title, lede, body, pairs)
                WHERE a.id = v.id::bigint
                """
            ).run()
        }
    }

    /// Nothing to empty: every vector is overwritten.
    func clear(in sql: any SQLDatabase) async throws {}

    /// `VACUUM (ANALYZE)` (outside a transaction, where it must run) drops the row versions the rebuild replaced,
    /// moves the GIN index's pending entries into the index, and gives the planner fresh statistics.
    func optimize(_ database: Database) async throws {
        try await database.read { sql in try await sql.raw("VACUUM (ANALYZE) articles").run() }
    }

    /// PostgreSQL's GIN index keeps new entries in its pending list and merges them itself: nothing to do.
    func beginBulkLoad(_ database: Database) async throws {}
    func endBulkLoad(_ database: Database) async throws {}
    func inBulkLoad(_ database: Database) async throws -> Bool { false }

    /// The phrase operator takes any number of alternatives, so no phrase is checked in texts.
    func checksText(_ phrase: [[String]]) -> Bool { false }

    /// The matches of each tier (``tiers(_:)``, or all matches for "newest"), newest first, until `offset + limit`
    /// are found: one statement, each tier a branch of a `UNION ALL` with its own plan. For a reader's search,
    /// PostgreSQL reads a branch down the feed's index (status, publication time), testing each article, when its
    /// matches are dense (a common word: it stops after a few dozen), and takes the matches from a GIN index and
    /// sorts them when they are sparse; the branches run in order and stop when the page is full.
    func hits(_ query: SearchQuery, in search: SearchRequest, offset: Int, limit: Int) async throws -> [SearchHit] {
        let conditions =
            search.order == .relevance ? Self.tiers(query) : [Self.matchesExcluding(query)]
        let need = offset + limit
        let filters = search.filters
        // Drafts (the newsroom's searches) have no publication time: they come last.
        let nulls: SQLQueryString = if case .published = search.scope { "" } else { " NULLS LAST" }
        var branches: [SQLQueryString] = []
        for (tier, condition) in conditions.enumerated() {
            branches.append(
                "(SELECT a.id, \(unsafeRaw: String(tier)) AS tier FROM articles a WHERE \(condition) \(filters) ORDER BY a.published_at DESC\(nulls), a.id DESC LIMIT \(bind: need))"
            )
        }
        var union: SQLQueryString = "SELECT id, tier FROM ("
        for (index, branch) in branches.enumerated() { union += (index == 0 ? "" : " UNION ALL ") + branch }
        let sqlQuery = union + ") hits LIMIT \(bind: need)"
        let found = try await search.database.readUsingIndexes { sql in
            try await sql.raw(sqlQuery).all().map { row in
                SearchHit(
                    id: try row.decode(column: "id", as: Int64.self),
                    score: Double(try row.decode(column: "tier", as: Int.self)))
            }
        }
        return Array(found.dropFirst(offset).prefix(limit))
    }

    /// Counts every match as far as `cap`: the GIN index's matches, each row checked against the filters.
    ///
    /// Only a bitmap scan is allowed: walking the feed's index instead (which the planner picks for a common word,
    /// since it expects the first thousand matches within a few thousand rows) tests each row's whole vector, read
    /// from TOAST and decompressed, about 15 µs a row: 33 ms for "система" on 100,000 stories, against 10 ms from
    /// the GIN index with the status and time read from each match's row.
    func count(_ query: SearchQuery, in search: SearchRequest, cap: Int) async throws -> Int {
        let condition = Self.matchesExcluding(query)
        let sqlQuery: SQLQueryString =
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM articles a WHERE \(condition) \(search.filters) LIMIT \(bind: cap)) hits"
        return try await search.database.readUsingIndexes { sql in
            try await sql.raw("SET LOCAL enable_indexscan = off").run()
            return try await sql.raw(sqlQuery).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Ranks by `ts_rank` over the headline's and lede's terms (`search_head`) among the newest candidates.
    func similar(_ words: [[String]], excluding: [Int64], now: Date, limit: Int, in sql: any SQLDatabase)
        async throws -> [Int64]
    {
        let terms = Set(words.joined()).sorted()
        guard !terms.isEmpty, limit > 0 else { return [] }
        let taken = SQLGroupExpression(SQLList((excluding + [-1]).map { SQLBind($0) }))
        let query: SQLQueryString = "CAST(\(bind: terms.map { "'\($0)'" }.joined(separator: " | ")) AS tsquery)"
        return try await sql.raw(
            "SELECT id FROM (SELECT a.id, a.published_at, ts_rank(a.search_head, \(query)) AS r FROM articles a WHERE a.search_head @@ \(query) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) AND a.id NOT IN \(taken) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: relatedCandidates)) c ORDER BY r DESC, published_at DESC, id DESC LIMIT \(bind: limit)"
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Asks each story's vector for the terms weighted as lede (B) or body (D).
    func textMatches(_ terms: [String], among ids: [Int64], in database: Database) async throws -> Set<Int64> {
        guard !terms.isEmpty, !ids.isEmpty else { return [] }
        let any = terms.map { "'\($0)':BD" }.joined(separator: " | ")
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        return try await database.read { sql in
            Set(
                try await sql.raw(
                    "SELECT id FROM articles WHERE id IN \(list) AND search_vector @@ CAST(\(bind: any) AS tsquery)"
                ).all().map { try $0.decode(column: "id", as: Int64.self) })
        }
    }

    /// The headline's terms (`search_title`), the last word also by its start (`:*`).
    func headlines(_ words: HeadlineWords, now: Date, limit: Int, in database: Database) async throws -> [Int64] {
        func any(_ terms: [String]) -> String { "(" + terms.map { "'\($0)'" }.joined(separator: " | ") + ")" }
        var groups = words.whole.map(any)
        if !words.prefixes.isEmpty {
            groups.append(
                "(" + (words.prefixes.map { "'\($0)':*" } + words.lastTerms.map { "'\($0)'" }).joined(separator: " | ")
                    + ")")
        }
        let condition: SQLQueryString =
            "search_title @@ CAST(\(bind: groups.joined(separator: " & ")) AS tsquery)"
        let now = now.millisecondsSince1970
        return try await database.readUsingIndexes { sql in
            // The planner cannot judge how many headlines a prefix matches (it guessed 285 for a prefix of 12), and
            // walking the feed's index for a rare one reads the whole table; taking every match from the GIN index
            // costs most for a prefix of many. So: the newest headlines first, then every match.
            let newest = try await sql.raw(
                "SELECT a.id FROM (SELECT id, published_at, search_title FROM articles a WHERE a.status = 'published' AND a.published_at <= \(bind: now) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: Self.suggestionWalk)) a WHERE \(condition) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard newest.count < limit else { return newest }
            return try await sql.raw(
                "WITH a AS MATERIALIZED (SELECT id, status, published_at FROM articles WHERE \(condition)) SELECT a.id FROM a WHERE a.status = 'published' AND a.published_at <= \(bind: now) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    /// As many characters as `bytes`: PostgreSQL's text cannot end in part of a character, and cutting the bytes
    /// (`convert_to`) copies the whole body first.
    func bodyStart(bytes: Int) -> SQLQueryString {
        "substr(a.body, 1, \(unsafeRaw: String(bytes))) AS body"
    }

    /// How many of the newest headlines a suggestion tests before it takes every match from the index: a test reads
    /// the headline's small vector from the row (about a microsecond).
    static let suggestionWalk = 2000

    /// The tiers of a search by relevance, best first, as on SQLite (``SQLiteSearchEngine/tiers(_:)``); no article is
    /// in two tiers:
    /// 1. every word in the headline;
    /// 2. every word in the headline or the lede, not all in the headline;
    /// 3. some of the words in the headline or the lede (a query of several words without a phrase: a phrase is
    ///    what the reader looks for, and this tier would read its matches twice);
    /// 4. every other match.
    static func tiers(_ query: SearchQuery) -> [SQLQueryString] {
        let headline: SQLQueryString = "search_title @@ CAST(\(bind: wanted(query)) AS tsquery)"
        let head: SQLQueryString = "search_head @@ CAST(\(bind: wanted(query)) AS tsquery)"
        let all = matchesExcluding(query)
        let groups = query.required + query.phrases.flatMap { $0 }
        var tiers = [
            withoutExcluded(query, from: headline), withoutExcluded(query, from: head + " AND NOT " + headline),
        ]
        if groups.count > 1, query.phrases.isEmpty {
            let some: SQLQueryString =
                "search_head @@ CAST(\(bind: Set(groups.joined()).sorted().map { "'\($0)'" }.joined(separator: " | ")) AS tsquery)"
            tiers += [all + " AND " + some + " AND NOT " + head, all + " AND NOT " + some]
        } else {
            tiers.append(all + " AND NOT " + head)
        }
        return tiers
    }

    /// The articles whose text has every word and phrase.
    static func matches(_ query: SearchQuery) -> SQLQueryString {
        guard let pairs = pairs(query) else { return "search_vector @@ CAST(\(bind: wanted(query)) AS tsquery)" }
        // The phrase is checked through the operator's function, which no index answers: the planner, which rates
        // every phrase as rare, would otherwise take the candidates from `search_vector`'s index (every story with
        // all the words, the common one included: 60 ms for "інший для організації" on 20,000 stories, against 7).
        return
            "search_pairs @@ CAST(\(bind: pairs) AS tsquery) AND ts_match_vq(search_vector, CAST(\(bind: wanted(query)) AS tsquery))"
    }

    /// ``matches(_:)`` without the articles that have an excluded word anywhere. Without a phrase of common words,
    /// one query of `search_vector` (`wanted & !(excluded)`), which its GIN index answers exactly: a separate
    /// `NOT search_vector @@ …` tests each match's whole vector, read from TOAST (a count of "зростання -проблем" on
    /// 20,000 stories took 50 ms that way, 5 ms this way).
    static func matchesExcluding(_ query: SearchQuery) -> SQLQueryString {
        guard let excluded = excludedTerms(query), pairs(query) == nil else {
            return excluding(query, from: matches(query))
        }
        return "search_vector @@ CAST(\(bind: "(" + wanted(query) + ") & !(" + excluded + ")") AS tsquery)"
    }

    /// `condition` without the articles that have an excluded word anywhere, asked of `search_vector`'s GIN index
    /// together with the wanted words (as ``matchesExcluding(_:)`` does) when no phrase takes its candidates from the
    /// pairs: PostgreSQL then intersects the two indexes' matches (a `BitmapAnd`) instead of testing each headline
    /// match's whole vector, read from TOAST, for the excluded words (10.8 against 4.2 ms for the headline tier of
    /// "розуміння -великий" on 100,000 stories, 24.5 against 7.4 ms for the lede tier).
    static func withoutExcluded(_ query: SearchQuery, from condition: SQLQueryString) -> SQLQueryString {
        guard excludedTerms(query) != nil, pairs(query) == nil else { return excluding(query, from: condition) }
        return "(" + condition + ") AND " + matchesExcluding(query)
    }

    /// `condition` without the articles that have an excluded word anywhere.
    static func excluding(_ query: SearchQuery, from condition: SQLQueryString) -> SQLQueryString {
        guard let excluded = excludedTerms(query) else { return condition }
        return "(" + condition + ") AND NOT search_vector @@ CAST(\(bind: excluded) AS tsquery)"
    }

    /// The excluded words' terms as alternatives of a query (nil: none is excluded).
    static func excludedTerms(_ query: SearchQuery) -> String? {
        guard !query.excluded.isEmpty else { return nil }
        return query.excluded.joined().map { "'\($0)'" }.joined(separator: " | ")
    }

    /// A document's terms as a `tsvector` literal, each with its position (positions past 16,383, the most
    /// PostgreSQL keeps, all count as 16,383), but its common-word pairs (``CommonWords``), which go to `pairs`
    /// instead, space-separated and without positions (the `search_pairs` column). Terms hold letters and digits
    /// only, so none needs quoting; a pair also holds ``CommonWords/pairMark``, the only character starting with
    /// the byte 0xEE a term can hold.
    static func vector(_ document: String, pairs: inout [UInt8]) -> String {
        var vector: [UInt8] = []
        vector.reserveCapacity(document.utf8.count * 2)
        var index = 0
        var term: [UInt8] = []
        // Read byte by byte: positions are separated by spaces, a position's terms by `/` (both ASCII, so never
        // inside a multi-byte character).
        func closeTerm() {
            defer { term.removeAll(keepingCapacity: true) }
            guard !term.isEmpty else { return }
            if term.contains(0xEE) {
                if !pairs.isEmpty { pairs.append(0x20) }
                pairs.append(0x27)
                pairs.append(contentsOf: term)
                pairs.append(0x27)
                return
            }
            if !vector.isEmpty { vector.append(0x20) }
            vector.append(0x27)
            vector.append(contentsOf: term)
            vector.append(0x27)
            vector.append(0x3A)
            vector.append(contentsOf: String(min(index + 1, 16_383)).utf8)
        }
        for byte in document.utf8 {
            if byte == 0x20 || byte == 0x2F {
                closeTerm()
                if byte == 0x20 { index += 1 }
            } else {
                term.append(byte)
            }
        }
        closeTerm()
        return String(decoding: vector, as: UTF8.self)
    }

    /// The query text of the words and phrases a match must have: every word (any of its terms), each phrase's
    /// words side by side (`<->`). Terms are plain lexemes, so nothing the reader typed can become query syntax.
    static func wanted(_ query: SearchQuery) -> String {
        func group(_ terms: [String]) -> String {
            terms.count == 1 ? "'\(terms[0])'" : "(" + terms.map { "'\($0)'" }.joined(separator: " | ") + ")"
        }
        var expression = (query.required + query.phrases.flatMap { $0 }).map(group).joined(separator: " & ")
        for phrase in query.phrases where phrase.count > 1 {
            expression += " & (" + phrase.map(group).joined(separator: " <-> ") + ")"
        }
        return expression
    }

    /// The common-word pairs the phrases' matches must have (``CommonWords/phraseUnits(_:)``), as a condition on
    /// `search_pairs`; nil when no phrase has a common word. Their lists are short however common the word, so a
    /// phrase's candidates come from them, and only those are checked for the phrase in their vectors.
    static func pairs(_ query: SearchQuery) -> String? {
        let units = query.phrases.flatMap(CommonWords.phraseUnits).filter { unit in
            unit.contains { $0.contains(CommonWords.pairMark) }
        }
        guard !units.isEmpty else { return nil }
        return units.map { "(" + $0.map { "'\($0)'" }.joined(separator: " | ") + ")" }.joined(separator: " & ")
    }
}
