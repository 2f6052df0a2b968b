import Foundation
import NewsCore
import SQLKit

/// Stores and finds articles. Every read a reader's page makes is one or two indexed queries.
public struct ArticleRepository: Sendable {
    public let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    // MARK: - Writing

    /// Inserts `article` (when `id` is nil) or updates it, with its tags and bylines, inside a transaction the caller
    /// holds: the newsroom's use cases, which record the change's event in the same transaction (tests' fixtures
    /// call it too; `OneWritePathTests` checks nothing else does).
    ///
    /// - Parameters:
    ///   - analysed: the search analysis of exactly this article's headline, lede, teaser and body, when the caller
    ///     made it beforehand (an import does, on every core); made here otherwise.
    ///   - indexing: false when the caller writes the search index itself later in the same transaction (an import
    ///     indexes a whole batch at once).
    public static func save(
        _ article: Article, analysed: SearchDocument? = nil, indexing: Bool = true, in sql: any SQLDatabase
    ) async throws -> Article {
        var stored = article
        let values = columns(of: article)
        if let id = article.id {
            var update = sql.update("articles").where("id", .equal, id)
            for (column, value) in values { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            try await update.run()
            try await sql.delete(from: "article_tags").where("article_id", .equal, id).run()
            try await sql.delete(from: "article_authors").where("article_id", .equal, id).run()
            try await sql.delete(from: "article_media").where("article_id", .equal, id).run()
        } else {
            let row = try await sql.insert(into: "articles")
                .columns(values.map { SQLIdentifier($0.0) })
                .values(values.map { SQLBind($0.1) })
                .returning("id")
                .first()
            guard let row else { throw DatabaseError("The database did not return the new article's id.") }
            stored.id = try row.decode(column: "id", as: Int64.self)
        }
        try await insertLinks(of: [stored], in: sql)
        // The search index changes with the article, in the same transaction.
        if indexing { try await SearchIndex.update(stored, isNew: article.id == nil, analysed: analysed, in: sql) }
        return stored
    }

    /// The stored columns of `article` (all but its id, links and search vectors), by column name.
    ///
    /// - Parameter body: the body as ``NewsCore/Block/encodeBody(_:)`` writes it, when the caller has it already.
    static func columns(of article: Article, body: String? = nil) -> [(String, any Encodable & Sendable)] {
        [
            ("slug", article.slug), ("title", article.title), ("seo_title", article.seoTitle),
            ("seo_description", article.seoDescription), ("lede", article.lede), ("teaser", article.teaser),
            ("body", body ?? Block.encodeBody(article.body)), ("rubric_id", article.rubricID),
            ("cover_media_id", article.coverMediaID), ("status", article.status.rawValue),
            ("published_at", article.publishedAt?.millisecondsSince1970),
            ("updated_at", article.updatedAt.millisecondsSince1970),
            ("created_at", article.createdAt.millisecondsSince1970), ("featured", article.featured),
            ("breaking", article.breaking), ("editorial_note", article.editorialNote), ("source_id", article.sourceID),
            ("created_by", article.createdBy), ("version", article.version),
            ("corrections", Correction.encode(article.corrections ?? [])),
            ("related_pins", Self.encodePins(article.pinnedRelated ?? [])),
        ]
    }

    /// Inserts new articles (`id` nil, each with a slug no other article has) with their tags, bylines and photos,
    /// many rows a statement, inside a transaction the caller holds: an import's batch. The search index is the
    /// caller's to write.
    /// - Parameter bodies: each article's body as ``NewsCore/Block/encodeBody(_:)`` writes it.
    /// - Returns: the articles with their ids, in the order given.
    static func insertNew(_ articles: [Article], bodies: [String], in sql: any SQLDatabase) async throws -> [Article] {
        precondition(bodies.count == articles.count, "a body for each article")
        guard let first = articles.first else { return [] }
        let names = columns(of: first, body: bodies[0]).map { SQLIdentifier($0.0) }
        var ids: [String: Int64] = [:]
        for chunk in Array(articles.indices).chunks(of: rowsPerStatement / names.count) {
            var insert = sql.insert(into: "articles").columns(names)
            for index in chunk {
                insert = insert.values(columns(of: articles[index], body: bodies[index]).map { SQLBind($0.1) })
            }
            // The order of the returned rows is not promised: each is matched by its slug, which is unique.
            for row in try await insert.returning("id", "slug").all() {
                ids[try row.decode(column: "slug", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        let stored = try articles.map { article in
            guard let id = ids[article.slug] else {
                throw DatabaseError("The database did not return the new article's id.")
            }
            var stored = article
            stored.id = id
            return stored
        }
        try await insertLinks(of: stored, in: sql)
        return stored
    }

    /// Bound values in one statement at most (SQLite allows 32,766, PostgreSQL 65,535).
    static let rowsPerStatement = 4_000

    /// Links stored `articles` to their tags, bylines (each with its position) and photos: one statement per table
    /// for all of them.
    private static func insertLinks(of articles: [Article], in sql: any SQLDatabase) async throws {
        func rows(_ links: (Article) -> [Int64]) -> [[Int64]] {
            articles.flatMap { article in
                links(article).uniqued().enumerated().map { [article.id!, $1, Int64($0)] }
            }
        }
        let tables: [(String, [String], [[Int64]])] = [
            ("article_tags", ["article_id", "tag_id", "position"], rows(\.tagIDs)),
            ("article_authors", ["article_id", "author_id", "position"], rows(\.bylineIDs)),
            ("article_media", ["article_id", "media_id"], rows(\.mediaIDs).map { Array($0.prefix(2)) }),
        ]
        for (table, columns, all) in tables {
            for chunk in all.chunks(of: rowsPerStatement / columns.count) {
                var insert = sql.insert(into: table).columns(columns)
                for row in chunk { insert = insert.values(row.map { SQLBind($0) }) }
                try await insert.run()
            }
        }
    }

    // MARK: - Finding one

    /// The article with `id`, in any status.
    public func find(id: Int64) async throws -> Article? {
        try await database.read { sql in
            try await Self.articles(in: sql, where: "a.id = \(bind: id)").first
        }
    }

    /// The article with `slug`, in any status.
    public func find(slug: String) async throws -> Article? {
        try await database.read { sql in
            try await Self.articles(in: sql, where: "a.slug = \(bind: slug)").first
        }
    }

    /// The ids of the stories with `slugs`, by slug (any status; unknown slugs left out).
    public func ids(slugs: [String]) async throws -> [String: Int64] {
        guard !slugs.isEmpty else { return [:] }
        let pairs = try await idsAndSlugs(where: "slug IN \(SQLGroupExpression(SQLList(slugs.map { SQLBind($0) })))")
        return Dictionary(pairs.map { ($0.slug, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// The slugs of the stories `ids`, by id (any status; unknown ids left out).
    public func slugs(ids: [Int64]) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let pairs = try await idsAndSlugs(where: "id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))")
        return Dictionary(pairs.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
    }

    private func idsAndSlugs(where condition: SQLQueryString) async throws -> [(id: Int64, slug: String)] {
        try await database.read { sql in
            try await sql.raw("SELECT id, slug FROM articles WHERE \(condition)").all().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "slug", as: String.self))
            }
        }
    }

    /// The article imported from `sourceID`, in any status.
    public func find(sourceID: String) async throws -> Article? {
        try await database.read { sql in
            try await Self.articles(in: sql, where: "a.source_id = \(bind: sourceID)").first
        }
    }

    /// Whether some article other than `excluding` uses `slug`.
    public func slugExists(_ slug: String, excluding id: Int64? = nil) async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT 1 AS one FROM articles WHERE slug = \(bind: slug) AND id <> \(bind: id ?? 0)")
                .first() != nil
        }
    }

    /// The article with `id`, inside the caller's transaction.
    public static func article(id: Int64, in sql: any SQLDatabase) async throws -> Article? {
        try await articles(in: sql, where: "a.id = \(bind: id)").first
    }

    static func articles(in sql: any SQLDatabase, where condition: SQLQueryString, withBody: Bool = true) async throws
        -> [Article]
    {
        let rows = try await sql.raw("SELECT \(Columns.article) FROM articles a WHERE " + condition).all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        // Tags and bylines of all the rows in one query each, not one per article.
        let tagIDs = try await orderedLinks("article_tags", column: "tag_id", of: ids, in: sql)
        let authorIDs = try await orderedLinks("article_authors", column: "author_id", of: ids, in: sql)
        return try zip(rows, ids).map { row, id in
            try article(from: row, id: id, tagIDs: tagIDs[id] ?? [], bylineIDs: authorIDs[id] ?? [], withBody: withBody)
        }
    }

    /// An article from a row of ``Columns/article``, with its links read separately; its body left empty unless
    /// `withBody` (decoding bodies is most of the cost of a list that does not show them).
    static func article(
        from row: any SQLRow, id: Int64, tagIDs: [Int64], bylineIDs: [Int64], withBody: Bool = true
    ) throws -> Article {
        let body =
            withBody
            ? try Block.decodeBody(try row.decode(column: "body", as: String.self))
            : []
        return Article(
            id: id, slug: try row.decode(column: "slug", as: String.self),
            title: try row.decode(column: "title", as: String.self), seoTitle: try row.optionalString("seo_title"),
            seoDescription: try row.optionalString("seo_description"),
            lede: try row.decode(column: "lede", as: String.self), teaser: try row.optionalString("teaser"),
            body: body, rubricID: try row.optionalInt64("rubric_id"), tagIDs: tagIDs, bylineIDs: bylineIDs,
            coverMediaID: try row.optionalInt64("cover_media_id"),
            status: ArticleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            publishedAt: try row.optionalInt64("published_at").map(Date.init(millisecondsSince1970:)),
            updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
            featured: try row.bool("featured"), breaking: try row.bool("breaking"),
            editorialNote: try row.optionalString("editorial_note"), sourceID: try row.optionalString("source_id"),
            createdBy: try row.optionalInt64("created_by"), version: try row.decode(column: "version", as: Int.self),
            corrections: Self.corrections(try row.decode(column: "corrections", as: String.self)),
            pinnedRelated: Self.decodePins(try row.decode(column: "related_pins", as: String.self)))
    }

    /// Pinned story ids as stored: a JSON list of numbers.
    static func encodePins(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    /// The stored list of pinned ids (none: `nil`); anything unreadable in it is left out.
    static func decodePins(_ text: String) -> [Int64]? {
        let ids = text.split { $0 == "[" || $0 == "]" || $0 == "," || $0 == " " }.compactMap { Int64($0) }
        return ids.isEmpty ? nil : ids
    }

    /// A stored list of corrections as an article holds it (none: `nil`).
    private static func corrections(_ text: String) -> [Correction]? {
        let list = Correction.decode(text)
        return list.isEmpty ? nil : list
    }

    /// The linked ids (tags or bylines) of each article, in their stored order.
    private static func orderedLinks(_ table: String, column: String, of ids: [Int64], in sql: any SQLDatabase)
        async throws -> [Int64: [Int64]]
    {
        guard !ids.isEmpty else { return [:] }
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        var links: [Int64: [Int64]] = [:]
        for row in try await sql.raw(
            "SELECT article_id, \(ident: column) AS linked FROM \(ident: table) WHERE article_id IN \(list) ORDER BY article_id, position"
        ).all() {
            links[try row.decode(column: "article_id", as: Int64.self), default: []].append(
                try row.decode(column: "linked", as: Int64.self))
        }
        return links
    }

    /// The article with `slug` and everything its page shows, whatever its status (the caller decides
    /// who may see it).
    ///
    /// Two queries for a story without photos in its body or "read also" links: the story with its rubric and
    /// cover, then its tags and bylines together.
    public func detail(slug: String, now: Date) async throws -> ArticleDetail? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT \(Columns.article), \(Columns.rubric), \(Columns.media) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.slug = \(bind: slug)"
                ).first()
            else { return nil }
            let id = try row.decode(column: "id", as: Int64.self)
            let links = try await sql.raw(
                """
                SELECT 0 AS kind, x.position, t.id, t.slug, t.name, NULL AS bio, NULL AS photo_media_id, NULL AS login
                FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = \(bind: id)
                UNION ALL
                SELECT 1 AS kind, x.position, au.id, au.slug, au.name, au.bio, au.photo_media_id, au.login
                FROM article_authors x JOIN authors au ON au.id = x.author_id WHERE x.article_id = \(bind: id)
                ORDER BY kind, position
                """
            ).all()
            var tags: [Tag] = []
            var bylines: [Author] = []
            for link in links {
                if try link.decode(column: "kind", as: Int.self) == 0 {
                    tags.append(
                        Tag(
                            id: try link.decode(column: "id", as: Int64.self),
                            slug: try link.decode(column: "slug", as: String.self),
                            name: try link.decode(column: "name", as: String.self)))
                } else {
                    bylines.append(try AuthorRepository.author(from: link))
                }
            }
            let article = try Self.article(
                from: row, id: id, tagIDs: tags.compactMap(\.id), bylineIDs: bylines.compactMap(\.id))
            var known = ArticleDetail(article: article)
            known.rubric = try row.rubric()
            known.tags = tags
            known.bylines = bylines
            if let cover = try row.media(), let coverID = cover.id { known.media[coverID] = cover }
            return try await Self.detail(of: article, in: sql, now: now, known: known)
        }
    }

    /// The stories `ids` (in that order) with what a feed item shows of each: rubric, tags, bylines, cover and the
    /// photos of the body. Read-also links are left out. Seven queries, however many stories. Without `withBody`,
    /// the stories' bodies are left empty (and so are their photos).
    public func details(ids: [Int64], withBody: Bool = true) async throws -> [ArticleDetail] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { sql in
            let list = { (ids: [Int64]) in SQLGroupExpression(SQLList(ids.map { SQLBind($0) })) }
            let articles = try await Self.articles(in: sql, where: "a.id IN \(list(ids))", withBody: withBody)
            var tags: [Int64: Tag] = [:]
            let tagIDs = Array(Set(articles.flatMap(\.tagIDs)))
            if !tagIDs.isEmpty {
                for row in try await sql.raw("SELECT id, slug, name FROM tags WHERE id IN \(list(tagIDs))").all() {
                    let tag = Tag(
                        id: try row.decode(column: "id", as: Int64.self),
                        slug: try row.decode(column: "slug", as: String.self),
                        name: try row.decode(column: "name", as: String.self))
                    tags[tag.id!] = tag
                }
            }
            var authors: [Int64: Author] = [:]
            let authorIDs = Array(Set(articles.flatMap(\.bylineIDs)))
            if !authorIDs.isEmpty {
                for row in try await sql.raw(
                    "SELECT id, slug, name, bio, photo_media_id, login FROM authors au WHERE id IN \(list(authorIDs))"
                ).all() {
                    let author = try AuthorRepository.author(from: row)
                    authors[author.id!] = author
                }
            }
            var rubrics: [Int64: Rubric] = [:]
            let rubricIDs = Array(Set(articles.compactMap(\.rubricID)))
            if !rubricIDs.isEmpty {
                for row in try await sql.raw("SELECT \(Columns.rubric) FROM rubrics r WHERE r.id IN \(list(rubricIDs))")
                    .all()
                {
                    if let rubric = try row.rubric() { rubrics[rubric.id!] = rubric }
                }
            }
            var media: [Int64: Media] = [:]
            let mediaIDs = Array(Set(articles.flatMap(\.mediaIDs)))
            if !mediaIDs.isEmpty {
                for row in try await sql.raw("SELECT \(Columns.media) FROM media m WHERE m.id IN \(list(mediaIDs))")
                    .all()
                {
                    if let found = try row.media() { media[found.id!] = found }
                }
            }
            let byID = Dictionary(
                uniqueKeysWithValues: articles.compactMap { article in article.id.map { ($0, article) } })
            return ids.compactMap { id -> ArticleDetail? in
                guard let article = byID[id] else { return nil }
                var detail = ArticleDetail(article: article)
                detail.rubric = article.rubricID.flatMap { rubrics[$0] }
                detail.tags = article.tagIDs.compactMap { tags[$0] }
                detail.bylines = article.bylineIDs.compactMap { authors[$0] }
                detail.cover = article.coverMediaID.flatMap { media[$0] }
                for block in article.body {
                    if case .image(let mediaID, _, _) = block, let found = media[mediaID] {
                        detail.media[mediaID] = found
                    }
                }
                if let cover = detail.cover, let coverID = cover.id { detail.media[coverID] = cover }
                return detail
            }
        }
    }

    /// Everything the public page of `article` shows (for previews of unsaved or unpublished stories).
    public func detail(of article: Article, now: Date) async throws -> ArticleDetail {
        try await database.read { sql in try await Self.detail(of: article, in: sql, now: now) }
    }

    /// Stories whose headline contains `text` that `user` may open or that are published, for "read also" pickers.
    public func lookup(_ text: String, for user: User, limit: Int = 20) async throws -> [NewsroomRow] {
        var filter = NewsroomFilter(text: text)
        filter.limit(to: user)
        filter.alsoPublished = true
        return try await newsroomList(filter, limit: limit).rows
    }

    /// What `known` (read with the story) lacks: rubric, tags and bylines when it has none of them, the photos of
    /// the body and the stories it recommends.
    static func detail(of article: Article, in sql: any SQLDatabase, now: Date, known: ArticleDetail? = nil)
        async throws -> ArticleDetail
    {
        let id = article.id!
        if var detail = known {
            try await addReferences(of: article, to: &detail, in: sql, now: now)
            return detail
        }
        var detail = ArticleDetail(article: article)
        if let rubricID = article.rubricID {
            detail.rubric = try await sql.raw(
                "SELECT \(Columns.rubric) FROM rubrics r WHERE r.id = \(bind: rubricID)"
            ).first()?.rubric()
        }
        detail.tags = try await sql.raw(
            "SELECT t.id, t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = \(bind: id) ORDER BY x.position"
        ).all().map {
            Tag(
                id: try $0.decode(column: "id", as: Int64.self), slug: try $0.decode(column: "slug", as: String.self),
                name: try $0.decode(column: "name", as: String.self))
        }
        detail.bylines = try await sql.raw(
            "SELECT au.id, au.slug, au.name, au.bio, au.photo_media_id, au.login FROM article_authors x JOIN authors au ON au.id = x.author_id WHERE x.article_id = \(bind: id) ORDER BY x.position"
        ).all().map(AuthorRepository.author(from:))
        try await addReferences(of: article, to: &detail, in: sql, now: now)
        return detail
    }

    /// The photos (cover and body) and recommended stories of `article` that `detail` does not have yet.
    private static func addReferences(
        of article: Article, to detail: inout ArticleDetail, in sql: any SQLDatabase, now: Date
    ) async throws {
        let mediaIDs = article.mediaIDs.filter { detail.media[$0] == nil }
        if !mediaIDs.isEmpty {
            let rows = try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE m.id IN \(SQLGroupExpression(SQLList(mediaIDs.map { SQLBind($0) })))"
            ).all()
            for row in rows { if let media = try row.media() { detail.media[media.id!] = media } }
        }
        detail.cover = article.coverMediaID.flatMap { detail.media[$0] }
        let relatedIDs = article.body.compactMap { block -> Int64? in
            if case .readAlso(let articleID) = block { return articleID }
            return nil
        }
        for summary in try await publishedSummaries(relatedIDs.uniqued(), now: now, in: sql) {
            detail.related[summary.id] = summary
        }
    }

    // MARK: - Feeds

    /// One page of published articles in `scope`, newest first, starting after `cursor`.
    /// - Parameters:
    ///   - scope: all articles, or those of one rubric, tag or author.
    ///   - cursor: the last item the reader has seen; `nil` for the first page.
    ///   - limit: items per page.
    ///   - now: articles published later than this are not shown yet.
    public func feed(
        _ scope: FeedScope = .all, after cursor: FeedCursor? = nil, limit: Int = 20, now: Date = Date()
    ) async throws -> FeedPage {
        try await page(scope, after: cursor, limit: limit, now: now, headlinesOnly: false)
    }

    /// The same page as ``feed(_:after:limit:now:)`` as a list of headlines: its summaries have no teaser and no
    /// photo (the latest news beside a story).
    public func headlines(
        _ scope: FeedScope = .all, after cursor: FeedCursor? = nil, limit: Int = 20, now: Date = Date()
    ) async throws -> FeedPage {
        try await page(scope, after: cursor, limit: limit, now: now, headlinesOnly: true)
    }

    private func page(
        _ scope: FeedScope, after cursor: FeedCursor?, limit: Int, now: Date, headlinesOnly: Bool
    ) async throws -> FeedPage {
        // One upper bound on the publication time, the lower of "now" and the cursor's: with two, SQLite (whose
        // plan cannot see bound values) may walk the index down from "now" and skip every earlier page's rows
        // one by one, which made page 1000 cost 2.5 times page 1.
        let nowMillis = now.millisecondsSince1970
        let bound = min(nowMillis, cursor?.publishedMillis ?? nowMillis)
        var query: SQLQueryString =
            headlinesOnly
            ? "SELECT \(Columns.headline) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id"
            : "SELECT \(Columns.summary) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id"
        query += " WHERE a.status = 'published' AND a.published_at <= \(bind: bound)" + Self.condition(scope)
        if let cursor, cursor.publishedMillis <= nowMillis {
            // After the cursor: earlier, or at the same time with a lower id.
            query += " AND (a.published_at < \(bind: cursor.publishedMillis) OR a.id < \(bind: cursor.id))"
        }
        query += " ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit + 1)"
        let finalQuery = query
        let items = try await database.read { sql in
            try await sql.raw(finalQuery).all().map { try headlinesOnly ? $0.headline() : $0.summary() }
        }
        let page = Array(items.prefix(limit))
        return FeedPage(items: page, next: items.count > limit ? page.last?.cursor : nil)
    }

    /// How many stories in `scope` readers can see at `now` (a rubric's, tag's or author's count).
    public func publishedCount(_ scope: FeedScope, now: Date = Date()) async throws -> Int {
        let visible: SQLQueryString =
            "a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)"
        // A tag's or author's stories are counted from their links (SQLite keeps that order with CROSS JOIN), each
        // story's status and time read from an index of them by id: asked as "published and among the tag's",
        // SQLite walked every published story and looked each up among them (4.5 ms for a tag of 300 stories in
        // 20,000), and reading the rows read their bodies' overflow pages too.
        let join: SQLQueryString =
            database.dialect == .sqlite ? "CROSS JOIN articles a INDEXED BY articles_visible" : "JOIN articles a"
        let query: SQLQueryString =
            switch scope {
            case .tag(let id):
                "SELECT COUNT(*) AS n FROM article_tags x \(join) ON a.id = x.article_id WHERE x.tag_id = \(bind: id) AND "
                    + visible
            case .author(let id):
                "SELECT COUNT(*) AS n FROM article_authors x \(join) ON a.id = x.article_id WHERE x.author_id = \(bind: id) AND "
                    + visible
            case .all, .rubric: "SELECT COUNT(*) AS n FROM articles a WHERE " + visible + Self.condition(scope)
            }
        return try await database.read { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// The condition (" AND …") that keeps the stories of `scope` among articles `a`.
    private static func condition(_ scope: FeedScope) -> SQLQueryString {
        switch scope {
        case .all: ""
        case .rubric(let ids) where ids.count == 1: " AND a.rubric_id = \(bind: ids[0])"
        case .rubric(let ids): " AND a.rubric_id IN \(SQLGroupExpression(SQLList((ids + [-1]).map { SQLBind($0) })))"
        case .tag(let id): " AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = \(bind: id))"
        case .author(let id): " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: id))"
        }
    }

    /// Stories to read after `article` ("Читайте також"), at most `limit`, never the story itself: first those an
    /// editor pinned (in their order), then those sharing the most tags with it, the newest first among equals;
    /// when fewer than `least` share a tag, the newest of its rubric make up the number. Published ones only.
    ///
    /// Candidates are the ``relatedPerTag`` most recently added stories of each of its first ``relatedTags`` tags
    /// (read from the tag's index in id order), so that a tag on thousands of stories costs what a rare one does.
    public func related(
        to article: Article, least: Int = 3, limit: Int = 5, now: Date = Date()
    ) async throws -> [ArticleSummary] {
        guard let id = article.id else { return [] }
        let nowMillis = now.millisecondsSince1970
        let tags = Array(article.tagIDs.prefix(Self.relatedTags))
        let pins = Array((article.pinnedRelated ?? []).filter { $0 != id }.uniqued().prefix(limit))
        let sqlite = database.dialect == .sqlite
        return try await database.read { sql in
            var found: [ArticleSummary] = []
            if !pins.isEmpty { found = try await Self.publishedSummaries(pins, now: now, in: sql) }
            let taken = SQLGroupExpression(SQLList(([id] + pins).map { SQLBind($0) }))
            if !tags.isEmpty, found.count < limit {
                var candidates: SQLQueryString = ""
                for (index, tag) in tags.enumerated() {
                    if index > 0 { candidates += " UNION ALL " }
                    candidates +=
                        "SELECT article_id FROM (SELECT x.article_id FROM article_tags x WHERE x.tag_id = \(bind: tag) AND x.article_id NOT IN \(taken) ORDER BY x.article_id DESC LIMIT \(bind: Self.relatedPerTag)) t\(unsafeRaw: String(index))"
                }
                if sqlite {
                    found += try await Self.sharingTags(
                        candidates, limit: limit - found.count, best: limit * 4, now: now, in: sql)
                } else {
                    // The best few candidates, by tags shared and then by id, are found before any article row is
                    // read (a story's row holds its body).
                    found += try await sql.raw(
                        "SELECT \(Columns.summary) FROM (SELECT article_id AS id, COUNT(*) AS shared FROM ("
                            + candidates
                            + ") c GROUP BY article_id ORDER BY shared DESC, article_id DESC LIMIT \(bind: limit * 4)) s JOIN articles a ON a.id = s.id LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.status = 'published' AND a.published_at <= \(bind: nowMillis) ORDER BY s.shared DESC, a.published_at DESC, a.id DESC LIMIT \(bind: limit - found.count)"
                    ).all().map { try $0.summary() }
                }
            }
            if found.count < least {
                // Short of stories sharing tags: those whose headlines share the headline's telling words.
                let words = SearchQuery(Self.tellingWords(of: article.title).joined(separator: " ")).required
                let similar = try await searchEngine(for: sql).similar(
                    words, excluding: ([id] + pins + found.map(\.id)).uniqued(), now: now, limit: least - found.count,
                    in: sql)
                found += try await Self.publishedSummaries(similar, now: now, in: sql)
            }
            if found.count < least, let rubricID = article.rubricID {
                let shown = SQLGroupExpression(SQLList(([id] + pins + found.map(\.id)).uniqued().map { SQLBind($0) }))
                found += try await sql.raw(
                    "SELECT \(Columns.summary) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.rubric_id = \(bind: rubricID) AND a.id NOT IN \(shown) AND a.status = 'published' AND a.published_at <= \(bind: nowMillis) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: least - found.count)"
                ).all().map { try $0.summary() }
            }
            return found
        }
    }

    /// On SQLite, the `limit` published stories among `candidates` (a statement of article ids, one row for each tag
    /// a story shares) that share the most tags, the newest first among equals; of the `best` candidates by tags
    /// shared, then by id. The same answer PostgreSQL's one statement gives, in three short ones: SQLite's statements
    /// are calls, not round trips, and its `GROUP BY` and `ORDER BY` over the candidates (two temporary b-trees)
    /// cost five times what counting them here does. The candidates (up to 320 ids) come as one row, their ids
    /// joined by commas: a row each cost more to hand over than the query took. Their status and time come from
    /// `articles_visible`, not from their rows.
    private static func sharingTags(
        _ candidates: SQLQueryString, limit: Int, best: Int, now: Date, in sql: any SQLDatabase
    ) async throws -> [ArticleSummary] {
        var shared: [Int64: Int] = [:]
        let joined = try await sql.raw("SELECT group_concat(article_id) AS ids FROM (" + candidates + ") c").first()
        if let joined, try !joined.decodeNil(column: "ids") {
            for id in Self.commaSeparatedIDs(try joined.decode(column: "ids", as: String.self)) {
                shared[id, default: 0] += 1
            }
        }
        guard !shared.isEmpty, limit > 0 else { return [] }
        let chosen = shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key > $1.key }.prefix(best)
        let list = SQLGroupExpression(SQLList(chosen.map { SQLBind($0.key) }))
        let visible = try await sql.raw(
            "SELECT a.id, a.published_at FROM articles a INDEXED BY articles_visible WHERE a.id IN \(list) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)"
        ).all().map {
            (id: try $0.decode(column: "id", as: Int64.self), at: try $0.decode(column: "published_at", as: Int64.self))
        }
        let order = visible.sorted { first, second in
            let (a, b) = (shared[first.id] ?? 0, shared[second.id] ?? 0)
            if a != b { return a > b }
            return first.at != second.at ? first.at > second.at : first.id > second.id
        }
        return try await publishedSummaries(order.prefix(limit).map(\.id), now: now, in: sql)
    }

    /// The ids in `text`, as `group_concat` joins them ("12,7,12").
    private static func commaSeparatedIDs(_ text: String) -> [Int64] {
        var ids: [Int64] = []
        var current: Int64 = 0
        var digits = 0
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 {
                current = current * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
            } else if byte == UInt8(ascii: ",") {
                if digits > 0 { ids.append(current) }
                (current, digits) = (0, 0)
            }
        }
        if digits > 0 { ids.append(current) }
        return ids
    }

    /// The published stories `ids` among those readers can see at `now`, in the order given.
    static func publishedSummaries(_ ids: [Int64], now: Date, in sql: any SQLDatabase) async throws
        -> [ArticleSummary]
    {
        guard !ids.isEmpty else { return [] }
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        // By id: SQLite, which cannot see that the list is short, would walk the index of published stories
        // (status, time) for the status and time conditions and read every published story (2.4 ms on 20,000 of
        // them instead of a few rowid lookups).
        let articles = sql.dialect.name == "sqlite" ? "articles a NOT INDEXED" : "articles a"
        let rows = try await sql.raw(
            "SELECT \(Columns.summary) FROM \(unsafeRaw: articles) LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.id IN \(list) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)"
        ).all().map { try $0.summary() }
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// The words of a headline that tell what it is about: names (capitalised after its first word) and words of
    /// five letters or more, at most six; short common words ("за", "і", "про") would match half the archive.
    static func tellingWords(of title: String) -> [String] {
        let words = title.split { !($0.isLetter || $0 == "'" || $0 == "’" || $0 == "-") }.map(String.init)
        var telling: [String] = []
        for (index, word) in words.enumerated() where telling.count < 6 {
            let letters = word.filter(\.isLetter).count
            if letters >= 5 || (index > 0 && letters >= 3 && word.first?.isUppercase == true) { telling.append(word) }
        }
        return telling
    }

    /// How many of a story's tags, and how many stories of each, "Читайте також" weighs.
    static let relatedTags = 8
    static let relatedPerTag = 40

    /// The editors' picks: featured published articles, newest first.
    public func featured(limit: Int, now: Date = Date()) async throws -> [ArticleSummary] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.summary) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.featured = \(bind: true) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit)"
            ).all().map { try $0.summary() }
        }
    }

    /// The time of the latest change to anything readers can see (for HTTP caching).
    public func lastChange() async throws -> Date? {
        try await database.read { sql in
            try await sql.raw("SELECT MAX(updated_at) AS latest FROM articles").first()?
                .optionalInt64("latest").map(Date.init(millisecondsSince1970:))
        }
    }

    /// How many articles are stored, by status.
    public func count(status: ArticleStatus? = nil) async throws -> Int {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT COUNT(*) AS n FROM articles"
            if let status { query += " WHERE status = \(bind: status.rawValue)" }
            return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension Array {
    /// The elements in runs of at most `size` (at least one), in order.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        let size = Swift.max(1, size)
        return stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
