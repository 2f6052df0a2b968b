import Foundation
import NewsCore
import SQLKit

/// Who is searching: readers see published stories only; the newsroom sees what its user may see.
public enum SearchScope: Sendable, Equatable {
    case published(now: Date)
    case newsroom(NewsroomFilter)
}

/// The order of results: the best matches first (headline and lede weigh most, newer first among equals), or the
/// newest first (what a reader following breaking news wants).
public enum SearchOrder: String, Sendable, Equatable, CaseIterable {
    case relevance
    case newest
}

/// A found article with the text its snippet is cut from.
public struct SearchResult: Sendable, Equatable {
    public var summary: ArticleSummary
    public var status: ArticleStatus
    public var title: String
    public var text: String
    /// Whether `text` may hold a searched word: false when the index says its lede and body hold none (the story
    /// matched by its headline or teaser), so that its snippet is the text's start, found without reading it word
    /// by word.
    public var textMayMatch = true
}

/// Full-text search over the index, ranked headline above lede above body, newer first among equals.
public struct SearchRepository: Sendable {
    let database: Database
    let analyzer: TextAnalyzer
    /// Where phrases are checked in candidate texts.
    let verifier: WorkPool
    /// The suggestions in memory (headlines and topics), when the caller keeps them (the server does).
    let suggestions: SuggestionIndex?

    /// Creates a repository over `database`.
    /// - Parameters:
    ///   - verifier: the threads that check phrases (``phraseVerifier`` by default).
    ///   - suggestions: what suggestions are taken from once it has been read; without it, they ask the database.
    public init(
        database: Database, analyzer: TextAnalyzer = .shared, verifier: WorkPool = Self.phraseVerifier,
        suggestions: SuggestionIndex? = nil
    ) {
        self.database = database
        self.analyzer = analyzer
        self.verifier = verifier
        self.suggestions = suggestions
    }

    /// One page of results, and whether there are more.
    public func search(
        _ query: SearchQuery, scope: SearchScope, rubrics: [Int64] = [], from: Date? = nil, to: Date? = nil,
        order: SearchOrder = .relevance, page: Int = 1, pageSize: Int = 20
    ) async throws -> (results: [SearchResult], hasMore: Bool) {
        guard !query.isEmpty, (1...500).contains(page) else { return ([], false) }
        let engine = database.search
        // The index answers phrases by itself (their words' positions), but for the rare phrase the engine's index
        // cannot ask, which is checked on the text itself: take more candidates and check them in rank order, only
        // as many as the page needs.
        let checkedPhrases = query.phrases.filter(engine.checksText)
        let usesPhrases = !checkedPhrases.isEmpty
        let limit = usesPhrases ? Self.phraseCandidates : pageSize + 1
        let offset = usesPhrases ? 0 : (page - 1) * pageSize
        let request = SearchRequest(
            database: database, scope: scope, rubrics: rubrics, from: from, to: to, order: order)
        let found = try await engine.hits(query, in: request, offset: offset, limit: limit)
        guard usesPhrases else {
            var results = try await load(found.map(\.id))
            let hasMore = results.count > pageSize
            results = Array(results.prefix(pageSize))
            // Only the stories whose tier does not already tell are asked.
            let known = Set(found.filter { $0.inText == true }.map(\.id))
            let unknown = results.map(\.summary.id).filter { !known.contains($0) }
            let matching = try await engine.textMatches(query.markedTerms, among: unknown, in: database)
            for index in results.indices {
                let id = results[index].summary.id
                results[index].textMayMatch = known.contains(id) || matching.contains(id)
            }
            return (results, hasMore)
        }
        let wanted = page * pageSize + 1
        var checked: [SearchResult] = []
        var start = 0
        let phrases = checkedPhrases
        while checked.count < wanted, start < found.count {
            let chunk = found[start..<min(start + pageSize + 1, found.count)].map(\.id)
            start += chunk.count
            let loaded = try await load(chunk, wholeText: true)
            // Analysing texts is CPU work: it runs on the verifier's own threads, never on those that serve pages,
            // and a search that finds them all busy is refused (`WorkPool.Busy`) instead of queueing.
            checked += try await verifier.run {
                loaded.filter { result in
                    phrases.allSatisfy { contains(phrase: $0, in: Self.phraseCheckedText(of: result)) }
                }
            }
        }
        let first = (page - 1) * pageSize
        return (Array(checked.dropFirst(first).prefix(pageSize)), checked.count > first + pageSize)
    }

    /// How many stories a search finds, counted as far as `cap` (more: `cap`); nil when a phrase in it is checked in
    /// the stories' texts, which only a search's own pages do.
    public func count(
        _ query: SearchQuery, scope: SearchScope, rubrics: [Int64] = [], from: Date? = nil, to: Date? = nil,
        cap: Int = 1000
    ) async throws -> Int? {
        guard !query.isEmpty else { return 0 }
        let engine = database.search
        guard !query.phrases.contains(where: engine.checksText) else { return nil }
        let request = SearchRequest(
            database: database, scope: scope, rubrics: rubrics, from: from, to: to, order: .relevance)
        return try await engine.count(query, in: request, cap: cap)
    }

    /// How many full-text candidates a phrase search checks at most: with ``phraseTextBytes`` this bounds the work
    /// of any phrase search, whatever the words (a phrase of two very common words matches nearly every article).
    static let phraseCandidates = 400
    /// How much of each candidate's text a phrase is looked for in.
    static let phraseTextBytes = 12 * 1024

    /// The threads that check phrases in candidate texts: one per core but one (at least one), and a short queue.
    public static let phraseVerifier = WorkPool(
        name: "phrase", threads: max(1, ProcessInfo.processInfo.activeProcessorCount - 1), maxWaiting: 16)

    /// The headline and the start of the text of a candidate, where its phrase is looked for.
    static func phraseCheckedText(of result: SearchResult) -> String {
        let text =
            result.text.utf8.count <= phraseTextBytes
            ? result.text : String(decoding: result.text.utf8.prefix(phraseTextBytes), as: UTF8.self)
        return result.title + " \n " + text
    }

    /// Whether the text has the phrase's words side by side (each word of the phrase given as its possible index
    /// terms); reads the text only up to the first place it finds them.
    func contains(phrase: [[String]], in text: String) -> Bool {
        guard !phrase.isEmpty, phrase.count <= 64 else { return false }
        // A sliding window: bit j of `window[i]` is set when the i-th last word matches the phrase's word j.
        let full = phrase.count
        var window: [UInt64] = Array(repeating: 0, count: full)
        var seen = 0
        var found = false
        analyzer.forEachQueryWord(in: text) { terms in
            var mask: UInt64 = 0
            for (index, group) in phrase.enumerated()
            where terms.contains(where: { group.contains(SearchIndex.lexeme($0)) }) {
                mask |= 1 << UInt64(index)
            }
            window[seen % full] = mask
            seen += 1
            guard seen >= full else { return true }
            // The last `full` words, oldest first, must match words 0, 1, … of the phrase.
            found = (0..<full).allSatisfy { offset in
                window[(seen - full + offset) % full] & (1 << UInt64(offset)) != 0
            }
            return !found
        }
        return found
    }

    /// How much of a result's stored body is read for its snippet, in bytes (on PostgreSQL, characters): the snippet
    /// looks for the words in the first 2,400 bytes of text, which the JSON around them only lengthens.
    static let snippetBodyBytes = 4000

    /// The results' page data, in the order of `ids`.
    ///
    /// - Parameter wholeText: read each body whole (to check a phrase in it); otherwise only its start, enough for
    ///   a snippet.
    func load(_ ids: [Int64], wholeText: Bool = false) async throws -> [SearchResult] {
        guard !ids.isEmpty else { return [] }
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        let body: SQLQueryString = wholeText ? "a.body" : database.search.bodyStart(bytes: Self.snippetBodyBytes)
        let rows = try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.summary), a.status, \(body), a.published_at, a.updated_at FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.id IN \(list)"
            ).all()
        }
        var byID: [Int64: SearchResult] = [:]
        for row in rows {
            let status = ArticleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
            var summary: ArticleSummary
            if row.contains(column: "published_at"), try !row.decodeNil(column: "published_at") {
                summary = try row.summary()
            } else {
                // Drafts have no publication time yet; the newsroom sees their last change instead.
                summary = ArticleSummary(
                    id: try row.decode(column: "id", as: Int64.self),
                    slug: try row.decode(column: "slug", as: String.self),
                    title: try row.decode(column: "title", as: String.self),
                    teaser: try row.optionalString("teaser") ?? "",
                    publishedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)))
            }
            let stored = try row.decode(column: "body", as: String.self)
            let blocks = wholeText ? (try? Block.decodeBody(stored)) ?? [] : Block.decodeLeadingBlocks(stored)
            let text = ([try row.decode(column: "lede", as: String.self)] + blocks.map(\.plainText)).joined(
                separator: "\n")
            byID[summary.id] = SearchResult(summary: summary, status: status, title: summary.title, text: text)
        }
        return ids.compactMap { byID[$0] }
    }

    /// A near-miss correction of the query from the index's own words ("Кєва" → "київ"), or `nil` when
    /// every word is known or nothing close is.
    public func suggestion(for words: [String]) async throws -> String? {
        var corrected: [String] = []
        var changed = false
        for word in words.prefix(8) {
            let lexemes = analyzer.tokens(word).flatMap(\.terms).map(SearchIndex.lexeme).filter { !$0.isEmpty }
            // Distances are measured from the word as typed, so the nearest real word wins.
            guard !lexemes.isEmpty else { continue }
            let main = String(UkrainianText.normalize(word).lowercased().filter { $0.isLetter || $0.isNumber })
            let known = try await database.read { sql in
                try await sql.raw(
                    "SELECT term FROM search_terms WHERE term IN \(SQLGroupExpression(SQLList(lexemes.map { SQLBind($0) })))"
                ).first() != nil
            }
            if known || main.count < 3 || main.allSatisfy(\.isNumber) {
                corrected.append(word)
                continue
            }
            // Typing errors rarely touch the first letter: the candidates are the words that start with it, read
            // as a range of the primary key's index rather than by scanning every word.
            guard let first = main.unicodeScalars.first, let after = Unicode.Scalar(first.value + 1) else {
                corrected.append(word)
                continue
            }
            let typed = Array(main.unicodeScalars)
            // Compared by code point on both engines (PostgreSQL's index follows the database's collation, so it
            // reads the table there).
            let term: SQLQueryString = database.dialect == .postgres ? #"term COLLATE "C""# : "term"
            let candidates = try await database.read { sql in
                try await sql.raw(
                    "SELECT term FROM search_terms WHERE \(term) >= \(bind: String(first)) AND \(term) < \(bind: String(after)) AND length(term) BETWEEN \(bind: typed.count - 2) AND \(bind: typed.count + 2) LIMIT 20000"
                ).all().map { try $0.decode(column: "term", as: String.self) }
            }
            let limit = typed.count <= 5 ? 1 : 2
            var best: (term: String, distance: Int)?
            for candidate in candidates {
                let scalars = Array(candidate.unicodeScalars)
                guard abs(scalars.count - typed.count) <= limit else { continue }
                let distance = Self.editDistance(typed, scalars, limit: limit)
                if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
            }
            if let best {
                corrected.append(best.term)
                changed = true
            } else {
                corrected.append(word)
            }
        }
        return changed ? corrected.joined(separator: " ") : nil
    }

    /// Levenshtein distance between two words as Unicode scalars (the words are normalised, so a letter is one
    /// scalar), giving up (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int {
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var previous = Array(0...y.count)
        var current = Array(repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMin = i
            for j in 1...y.count {
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// Runs `load` (an import of many stories) with the index in bulk-load mode (``SearchEngine/beginBulkLoad(_:)``),
    /// ending it whether `load` succeeds or throws; a process stopped meanwhile leaves it to
    /// ``endUnfinishedBulkLoad()``.
    public func bulkLoad<T>(_ load: () async throws -> T) async throws -> T {
        let engine = database.search
        try await engine.beginBulkLoad(database)
        let result: T
        do {
            result = try await load()
        } catch {
            try? await engine.endBulkLoad(database)
            throw error
        }
        try await engine.endBulkLoad(database)
        return result
    }

    /// Ends a bulk load a stopped process left unfinished (the server calls this as it starts); true when there was
    /// one.
    @discardableResult
    public func endUnfinishedBulkLoad() async throws -> Bool {
        guard try await database.search.inBulkLoad(database) else { return false }
        try await database.search.endBulkLoad(database)
        return true
    }

    /// The version of this database's index layout (its engine's), as the index records it once it is built.
    public var indexLayout: Int { database.search.layout }

    /// Whether articles exist but the index has never been built (after the search migration), or was built by
    /// another version of the analyser (``TextAnalyzer/version``): its terms would not meet a query's.
    public func needsIndexing() async throws -> Bool {
        try await database.read { sql in
            let terms =
                try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT term FROM search_terms LIMIT 1) t").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let articles =
                try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT id FROM articles LIMIT 1) t").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let version = try await sql.raw("SELECT value FROM search_state WHERE key = 'analyzer'").first()?
                .decode(column: "value", as: String.self)
            let layout = try await sql.raw("SELECT value FROM search_state WHERE key = 'layout'").first()?
                .decode(column: "value", as: String.self)
            return articles > 0
                && (terms == 0 || version.map { $0 != String(TextAnalyzer.version) } ?? false
                    || layout.map { $0 != String(database.search.layout) } ?? false)
        }
    }

    /// Rebuilds the whole index (after an analyser change or a restore); `progress` gets (done, total).
    ///
    /// The index is emptied, then refilled batch by batch, as a pipeline: while one batch is written, the next
    /// ``NewsCore/CPUExecutor/batchesAhead`` are analysed on every core. Each batch's transaction checks that its
    /// articles did not change since they were read, and analyses again those that did, so an article saved
    /// meanwhile is indexed as saved.
    public func reindex(batchSize: Int = 1000, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let total = try await ArticleRepository(database: database).count()
        // Until the rebuild ends, the index is marked as being rebuilt: a rebuild cut short (the process stopped) is
        // started again when the server next starts (``needsIndexing()``).
        try await database.transaction { sql in
            try await database.search.clear(in: sql)
            try await sql.raw(
                "INSERT INTO search_state (key, value) VALUES ('layout', 'rebuilding') ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ).run()
        }
        let analyzer = analyzer
        var done = 0
        // Words already written by an earlier batch need not be offered again.
        var known = TermSet(capacity: 1 << 16)
        // Batches read and being analysed, oldest first: the one to be written next and those ahead of it.
        var analysing: [Task<(sources: [IndexSource], documents: [SearchDocument]), Never>] = []
        var after: Int64 = 0
        var allRead = false
        while true {
            while !allRead, analysing.count <= CPUExecutor.batchesAhead {
                let start = after
                let batch = try await database.read { sql in
                    try await IndexSource.batch(after: start, limit: batchSize, in: sql)
                }
                guard let last = batch.last else {
                    allRead = true
                    break
                }
                after = last.id
                analysing.append(Task { (batch, await batch.concurrentMap { $0.document(analyzer: analyzer) }) })
            }
            guard !analysing.isEmpty else { break }
            let (current, analysed) = await analysing.removeFirst().value
            let seen = known
            let added = try await database.transaction { sql -> [SearchIndex.TermKey] in
                // Articles changed since they were read are analysed again; deleted ones are left out.
                let now = Dictionary(
                    try await IndexSource.rows(ids: current.map(\.id), in: sql).map { ($0.id, $0) },
                    uniquingKeysWith: { first, _ in first })
                var documents: [SearchDocument] = []
                for (source, document) in zip(current, analysed) {
                    guard let row = now[source.id] else { continue }
                    documents.append(
                        row.hasSameText(as: source) ? document : row.document(analyzer: analyzer))
                }
                var added: [SearchIndex.TermKey] = []
                var batchTerms = TermSet(capacity: 1 << 12)
                for document in documents {
                    for key in document.vocabulary where !seen.contains(key) && batchTerms.insert(key) {
                        added.append(key)
                    }
                }
                try await SearchIndex.write(documents, replacing: true, vocabulary: added.map(\.term), in: sql)
                return added
            }
            // Once written: a batch rolled back offers its words again.
            for key in added { known.insert(key) }
            done += current.count
            progress?(done, total)
        }
        try await database.search.optimize(database)
        // The index is now the current analyser's, in the current layout.
        try await database.transaction { sql in
            for (key, value) in [("analyzer", TextAnalyzer.version), ("layout", database.search.layout)] {
                try await sql.raw(
                    "INSERT INTO search_state (key, value) VALUES (\(bind: key), \(bind: String(value))) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ).run()
            }
        }
        return done
    }
}

/// An article's searchable text as stored, read for a reindex without the rest of the article.
struct IndexSource: Sendable {
    var id: Int64
    var title: String
    var lede: String
    var teaser: String?
    var body: String

    /// The next `limit` articles after id `after`, by id.
    static func batch(after: Int64, limit: Int, in sql: any SQLDatabase) async throws -> [IndexSource] {
        try await sql.raw(
            "SELECT id, title, lede, teaser, body FROM articles WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: limit)"
        ).all().map(IndexSource.init)
    }

    /// The articles with these ids, as stored now.
    static func rows(ids: [Int64], in sql: any SQLDatabase) async throws -> [IndexSource] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw(
            "SELECT id, title, lede, teaser, body FROM articles WHERE id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
        ).all().map(IndexSource.init)
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        title = try row.decode(column: "title", as: String.self)
        lede = try row.decode(column: "lede", as: String.self)
        teaser = try row.decode(column: "teaser", as: String?.self)
        body = try row.decode(column: "body", as: String.self)
    }

    /// Whether the text is byte for byte the same as `other`'s.
    func hasSameText(as other: IndexSource) -> Bool {
        ByteSearch.sameBytes(title, other.title) && ByteSearch.sameBytes(lede, other.lede)
            && ByteSearch.sameBytes(teaser ?? "", other.teaser ?? "") && ByteSearch.sameBytes(body, other.body)
    }

    func document(analyzer: TextAnalyzer) -> SearchDocument {
        let blocks = (try? Block.decodeBody(body)) ?? []
        return SearchDocument(id: id, title: title, lede: lede, teaser: teaser, body: blocks, analyzer: analyzer)
    }
}
