import Foundation
import NewsCore
import SQLKit

/// One database engine's full-text search: how its index is written and how it is asked. Everything that differs
/// between SQLite and PostgreSQL in search lives in the two types behind this protocol (``SQLiteSearchEngine``,
/// ``PostgresSearchEngine``); the rest of search (analysing texts and queries, the words for "did you mean",
/// loading results, checking phrases in texts) is written once.
///
/// A database's engine is chosen when it opens (``Database/search``); code that holds only a transaction's
/// connection gets the same engine from ``searchEngine(for:)``.
protocol SearchEngine: Sendable {
    /// The version of this engine's index layout (``SearchIndex/layout`` and what the engine adds): an index of
    /// another layout is rebuilt when the server starts.
    var layout: Int { get }

    /// Writes the index entries of `documents` (one per article) inside the caller's transaction.
    ///
    /// - Parameter replacing: whether the documents may already be indexed (their old entries go first).
    func write(_ documents: [SearchDocument], replacing: Bool, in sql: any SQLDatabase) async throws

    /// Empties the index before a full rebuild.
    func clear(in sql: any SQLDatabase) async throws

    /// Tidies the index after a full rebuild, so that searches read less.
    func optimize(_ database: Database) async throws

    /// Readies the index for a bulk load (an import: many stories in many transactions), so that it merges its parts
    /// less often while it lasts.
    func beginBulkLoad(_ database: Database) async throws

    /// Ends a bulk load, or one a stopped process left unfinished: the index merges as usual again, and merges the
    /// parts the load left now.
    func endBulkLoad(_ database: Database) async throws

    /// Whether a bulk load was left unfinished (``endBulkLoad(_:)`` ends it).
    func inBulkLoad(_ database: Database) async throws -> Bool

    /// Whether the index cannot answer `phrase` by itself, so its words' order is checked in the candidates' texts.
    func checksText(_ phrase: [[String]]) -> Bool

    /// The matches of `query` in `order`, from the `offset`-th, at most `limit`.
    func hits(_ query: SearchQuery, in search: SearchRequest, offset: Int, limit: Int) async throws -> [SearchHit]

    /// Published stories whose headline or lede has some of the words `words` (each word a group of its terms), the
    /// best match first among the newest ``relatedCandidates`` that have any, never those in `excluding`; at most
    /// `limit` ids ("Читайте також" for a story without enough tags).
    func similar(_ words: [[String]], excluding: [Int64], now: Date, limit: Int, in sql: any SQLDatabase)
        async throws -> [Int64]

    /// How many articles match `query` by the index (its phrases as the index reads them), counted up to `cap`.
    func count(_ query: SearchQuery, in search: SearchRequest, cap: Int) async throws -> Int

    /// The stories among `ids` whose lede (with the teaser) or body has one of `terms`, by the index alone.
    func textMatches(_ terms: [String], among ids: [Int64], in database: Database) async throws -> Set<Int64>

    /// The newest published stories whose headline has every word (``HeadlineWords``), at most `limit`.
    func headlines(_ words: HeadlineWords, now: Date, limit: Int, in database: Database) async throws -> [Int64]

    /// An expression, named `body`, for the start of the stored body of the story `a`: at least `bytes` bytes of its
    /// JSON when it is longer, as text (it may end in the middle of a block, or of a character, which reads as
    /// U+FFFD).
    func bodyStart(bytes: Int) -> SQLQueryString
}

/// Everything about a search but its words: the database, who searches, the filters, the order.
/// How many of the newest stories sharing a headline word ``SearchEngine/similar(_:excluding:now:limit:in:)`` ranks.
let relatedCandidates = 200

struct SearchRequest: Sendable {
    var database: Database
    var scope: SearchScope
    var rubrics: [Int64]
    var from: Date?
    var to: Date?
    var order: SearchOrder

    /// The article conditions of the search, each starting with " AND ", over articles called `a`.
    var filters: SQLQueryString {
        var sqlQuery: SQLQueryString = ""
        switch scope {
        case .published(let now):
            sqlQuery += " AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)"
        case .newsroom(let filter):
            if let status = filter.status { sqlQuery += " AND a.status = \(bind: status.rawValue)" }
            if let author = filter.authorID {
                sqlQuery += " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: author))"
            }
            if let owner = filter.ownedBy {
                sqlQuery +=
                    " AND (a.created_by = \(bind: owner.userID) OR a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: owner.authorID ?? -1))"
                if !filter.alsoRubrics.isEmpty {
                    sqlQuery +=
                        " OR a.rubric_id IN \(SQLGroupExpression(SQLList(filter.alsoRubrics.map { SQLBind($0) })))"
                }
                sqlQuery += ")"
            }
        }
        if !rubrics.isEmpty {
            sqlQuery += " AND a.rubric_id IN \(SQLGroupExpression(SQLList(rubrics.map { SQLBind($0) })))"
        }
        if let from { sqlQuery += " AND a.published_at >= \(bind: from.millisecondsSince1970)" }
        if let to { sqlQuery += " AND a.published_at < \(bind: to.millisecondsSince1970)" }
        return sqlQuery
    }
}

/// The words of a headline suggestion, as typed so far: whole words, each as its index terms, and the last word
/// while it is being typed, as the index terms it may start (its `prefixes`) or be (its `terms`).
struct HeadlineWords: Sendable {
    var whole: [[String]]
    var prefixes: [String]
    var lastTerms: [String]
}

/// The search engine of the database a connection belongs to: the one place that tells the engines apart.
func searchEngine(for sql: any SQLDatabase) -> any SearchEngine {
    searchEngine(for: sql.dialect.name == "sqlite" ? SQLDialectKind.sqlite : .postgres)
}

/// The search engine of a dialect.
func searchEngine(for dialect: SQLDialectKind) -> any SearchEngine {
    switch dialect {
    case .sqlite: SQLiteSearchEngine()
    case .postgres: PostgresSearchEngine()
    }
}
