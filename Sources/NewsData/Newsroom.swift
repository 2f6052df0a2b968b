import Foundation
import NewsCore
import SQLKit

/// Why the newsroom refused a change. Nothing is stored when one of these is thrown.
public enum NewsroomError: Error, Equatable, Sendable {
    case notFound
    /// The user's role does not allow this on this story.
    case forbidden
    /// The story changed since the user loaded it (someone else saved version `current`).
    case stale(current: Int, savedBy: String?, savedAt: Date?)
    /// Someone else is editing the story.
    case lockedByOther(name: String, since: Date)
    /// The user's edit lock was taken over.
    case lockLost(takenBy: String, at: Date)
    /// Fields that need fixing.
    case invalid([FieldError])
}

/// The state of a story's edit lock, for one editor tab.
public enum LockState: Sendable, Equatable {
    /// This tab holds the lock (its token).
    case held(token: String)
    /// Someone else holds it (shown with an explicit "take over" button).
    case heldByOther(name: String, since: Date)
    /// This tab held it, and someone took it over.
    case lost(takenBy: String, at: Date)
}

/// A saved version of a story, for the history list.
public struct RevisionInfo: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var version: Int
    public var userName: String?
    public var savedAt: Date
}

/// The newsroom's editing rules over the database: create, save (with version and lock checks, and a
/// revision for every save), autosave, edit locks with takeover, workflow transitions (recorded with
/// who and when), revision restore, scheduled publishing and old-slug redirects.
public struct Newsroom: Sendable {
    let database: Database
    /// A lock nobody has confirmed for this long is free for anyone.
    public static let lockTimeout: TimeInterval = 120

    /// Creates the service over `database`.
    public init(database: Database) {
        self.database = database
    }

    // MARK: - Reading

    /// Whether `user` created the story or is credited on it.
    public static func owns(_ article: Article, user: User) -> Bool {
        article.createdBy == user.id || (user.authorID.map { article.bylineIDs.contains($0) } ?? false)
    }

    /// Whether `user` may open `article` in the editor: any story of their rubrics for editors, their own for
    /// everyone.
    public static func mayOpen(_ article: Article, user: User) -> Bool {
        user.role(forRubric: article.rubricID).can(.editAnyArticle) || owns(article, user: user)
    }

    /// Whether `user` may change `article` as it stands (its status, their role in its rubric, whether it is theirs).
    public static func mayEdit(_ article: Article, user: User) -> Bool {
        Workflow.canEdit(
            status: article.status, role: user.role(forRubric: article.rubricID), isOwn: owns(article, user: user))
    }

    /// The story with `id`, if `user` may open it in the editor.
    public func open(_ id: Int64, for user: User) async throws -> Article {
        guard let article = try await ArticleRepository(database: database).find(id: id) else {
            throw NewsroomError.notFound
        }
        guard Self.mayOpen(article, user: user) else { throw NewsroomError.forbidden }
        return article
    }

    // MARK: - Writing

    /// Creates a draft from `article` for `user`; the creator holds its edit lock.
    public func create(_ article: Article, by user: User, now: Date = Date()) async throws -> (Article, token: String) {
        try await create(ArticleEdit(article), by: user, now: now)
    }

    /// Creates a draft from `edit` for `user` (its tag and byline names resolved in the same transaction); the
    /// creator holds its edit lock.
    public func create(_ edit: ArticleEdit, by user: User, now: Date = Date()) async throws -> (Article, token: String)
    {
        guard user.role.can(.writeDrafts), !user.disabled else { throw NewsroomError.forbidden }
        var draft = edit.article
        draft.id = nil
        draft.status = .draft
        draft.publishedAt = nil
        draft.createdBy = user.id
        draft.createdAt = now
        draft.updatedAt = now
        draft.version = 1
        let prepared = draft
        try await validate(prepared)
        let token = SessionRepository.randomToken()
        let stored = try await database.transaction { sql in
            var checked = try await Self.resolveNames(
                of: ArticleEdit(prepared, tagNames: edit.tagNames, bylineNames: edit.bylineNames), in: sql)
            if checked.bylineIDs.isEmpty, let author = user.authorID { checked.bylineIDs = [author] }
            try await Self.checkReferences(checked, excluding: nil, in: sql)
            let stored = try await ArticleRepository.save(checked, in: sql)
            try await Self.addRevision(stored, kind: "create", user: user, now: now, in: sql)
            try await ChangeLog.record(
                .created, source: .newsroom, user: user.id, before: nil, after: stored, now: now, in: sql)
            try await sql.raw(
                "INSERT INTO article_locks (article_id, user_id, token, acquired_at, seen_at) VALUES (\(bind: stored.id!), \(bind: user.id!), \(bind: token), \(bind: now.millisecondsSince1970), \(bind: now.millisecondsSince1970))"
            ).run()
            return stored
        }
        return (stored, token)
    }

    /// Saves `article` (its content fields) over the stored story, if it is still at `expectedVersion`
    /// and this tab (`lockToken`) holds the edit lock. Status and publication time are not changed here.
    @discardableResult
    public func save(_ article: Article, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date())
        async throws -> Article
    {
        try await save(ArticleEdit(article), expectedVersion: expectedVersion, lockToken: lockToken, by: user, now: now)
    }

    /// The same for an edit whose tag and byline names are resolved in the save's transaction, after the lock,
    /// the version and the role have been checked (a refused save adds no tag or byline).
    @discardableResult
    public func save(_ edit: ArticleEdit, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date())
        async throws -> Article
    {
        guard let id = edit.article.id else { throw NewsroomError.notFound }
        try await validate(edit.article)
        return try await database.transaction { sql in
            guard let current = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first else {
                throw NewsroomError.notFound
            }
            // The lock and the version first: a tab that lost either is told so, whatever else changed.
            try await Self.checkLock(id, token: lockToken, in: sql)
            guard current.version == expectedVersion else {
                let last = try await Self.lastSave(of: id, in: sql)
                throw NewsroomError.stale(current: current.version, savedBy: last?.userName, savedAt: last?.savedAt)
            }
            let role = user.role(forRubric: current.rubricID)
            // A limited editor may not move a story into a rubric outside their own.
            guard role == user.role(forRubric: edit.article.rubricID),
                Workflow.canEdit(status: current.status, role: role, isOwn: Self.owns(current, user: user))
            else {
                throw NewsroomError.forbidden
            }
            let article = try await Self.resolveNames(of: edit, in: sql)
            try await Self.checkReferences(article, excluding: id, in: sql)
            var updated = current
            updated.title = article.title
            updated.slug = article.slug
            updated.lede = article.lede
            updated.teaser = article.teaser
            updated.body = article.body
            updated.rubricID = article.rubricID
            updated.tagIDs = article.tagIDs
            updated.bylineIDs = article.bylineIDs
            updated.coverMediaID = article.coverMediaID
            updated.featured = article.featured
            updated.breaking = article.breaking
            updated.seoTitle = article.seoTitle
            updated.seoDescription = article.seoDescription
            updated.editorialNote = article.editorialNote
            updated.version = current.version + 1
            updated.updatedAt = now
            if current.slug != updated.slug, current.publishedAt != nil,
                current.status == .published || current.status == .unpublished
            {
                // The old address keeps working as a permanent redirect.
                try await sql.raw("DELETE FROM slug_redirects WHERE slug = \(bind: updated.slug)").run()
                try await sql.raw(
                    "INSERT INTO slug_redirects (slug, article_id) VALUES (\(bind: current.slug), \(bind: id)) ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id"
                ).run()
            }
            let stored = try await ArticleRepository.save(updated, in: sql)
            try await Self.addRevision(stored, kind: "save", user: user, now: now, in: sql)
            try await ChangeLog.record(
                .saved, source: .newsroom, user: user.id, before: current, after: stored, now: now, in: sql)
            try await sql.raw(
                "DELETE FROM revisions WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
            return stored
        }
    }

    /// Keeps `edit`'s unsaved content as this user's autosave of the story (one per user and story; the story
    /// itself is not changed, and typed tag and byline names are kept as names, never added as rows). Never
    /// refused for being stale: it exists to keep work.
    public func autosave(_ edit: ArticleEdit, by user: User, now: Date = Date()) async throws {
        guard let id = edit.article.id else { throw NewsroomError.notFound }
        _ = try await open(id, for: user)
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM revisions WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
            try await Self.addRevision(edit.article, kind: "autosave", user: user, now: now, in: sql)
            let names = String(decoding: try JSONEncoder().encode(TypedNames(edit)), as: UTF8.self)
            try await sql.raw(
                "UPDATE revisions SET typed_names = \(bind: names) WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
        }
    }

    /// This user's autosave of the story, when it is newer than the story's last save, with the tag and byline
    /// names as typed.
    public func pendingAutosave(of article: Article, for user: User) async throws -> (RevisionInfo, ArticleEdit)? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT r.*, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: article.id!) AND r.kind = 'autosave' AND r.user_id = \(bind: user.id!) AND r.saved_at >= \(bind: article.updatedAt.millisecondsSince1970) ORDER BY r.id DESC LIMIT 1"
                ).first()
            else { return nil }
            let names = try row.optionalString("typed_names").flatMap {
                try? JSONDecoder().decode(TypedNames.self, from: Data($0.utf8))
            }
            return (
                try Self.revisionInfo(row),
                ArticleEdit(try Self.snapshot(row), tagNames: names?.tags, bylineNames: names?.bylines)
            )
        }
    }

    /// Moves the story along the workflow. `publishAt` is the time for `.scheduled` (in the future).
    @discardableResult
    public func transition(
        _ id: Int64, to status: ArticleStatus, publishAt: Date? = nil, by user: User, now: Date = Date()
    ) async throws -> Article {
        try await database.transaction { sql in
            guard let before = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first else {
                throw NewsroomError.notFound
            }
            var article = before
            let from = article.status
            guard
                Workflow.canMove(
                    from: from, to: status, role: user.role(forRubric: article.rubricID),
                    isOwn: Self.owns(article, user: user))
            else {
                throw NewsroomError.forbidden
            }
            switch status {
            case .published:
                if from != .unpublished || article.publishedAt == nil { article.publishedAt = now }
            case .scheduled:
                guard let publishAt, publishAt > now else {
                    throw NewsroomError.invalid([FieldError(field: "publish_at", key: "error_schedule_past")])
                }
                article.publishedAt = publishAt
            case .draft, .review:
                if from == .scheduled { article.publishedAt = nil }
            case .unpublished:
                break
            }
            article.status = status
            article.version += 1
            article.updatedAt = status == .published && from != .unpublished ? (article.publishedAt ?? now) : now
            let stored = try await ArticleRepository.save(article, in: sql)
            try await sql.raw(
                "INSERT INTO transitions (article_id, from_status, to_status, user_id, at) VALUES (\(bind: id), \(bind: from.rawValue), \(bind: status.rawValue), \(bind: user.id), \(bind: now.millisecondsSince1970))"
            ).run()
            // The audit entry comes from the event (AuditSubscriber).
            try await ChangeLog.record(
                .moved, source: .newsroom, user: user.id, before: before, after: stored, now: now, in: sql)
            return stored
        }
    }

    /// Publishes every scheduled story whose time has come; returns their ids. Safe to run on several
    /// nodes at once: the update claims each row once.
    public func publishDue(now: Date = Date()) async throws -> [Int64] {
        try await database.transaction { sql in
            let rows = try await sql.raw(
                "UPDATE articles SET status = 'published', version = version + 1, updated_at = published_at WHERE status = 'scheduled' AND published_at <= \(bind: now.millisecondsSince1970) RETURNING id"
            ).all()
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            for id in ids {
                try await sql.raw(
                    "INSERT INTO transitions (article_id, from_status, to_status, user_id, at) VALUES (\(bind: id), 'scheduled', 'published', NULL, \(bind: now.millisecondsSince1970))"
                ).run()
                // The audit entry comes from the event (AuditSubscriber).
                guard let after = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first
                else { continue }
                var before = after
                before.status = .scheduled
                try await ChangeLog.record(
                    .publishedOnSchedule, source: .scheduler, user: nil, before: before, after: after, now: now,
                    in: sql)
            }
            return ids
        }
    }

    /// When the next scheduled story is due, if any.
    public func nextDue() async throws -> Date? {
        try await database.read { sql in
            try await sql.raw("SELECT MIN(published_at) AS due FROM articles WHERE status = 'scheduled'").first()?
                .optionalInt64("due").map(Date.init(millisecondsSince1970:))
        }
    }

    /// The article an old slug now points to.
    public func redirect(from slug: String) async throws -> String? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id WHERE r.slug = \(bind: slug)"
            ).first()?.decode(column: "slug", as: String.self)
        }
    }

    /// Who moved the story along the workflow, and when (oldest first).
    public func transitions(of id: Int64) async throws -> [(
        from: ArticleStatus, to: ArticleStatus, user: String?, at: Date
    )] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT t.from_status, t.to_status, t.at, u.name FROM transitions t LEFT JOIN users u ON u.id = t.user_id WHERE t.article_id = \(bind: id) ORDER BY t.at, t.id"
            ).all().map {
                (
                    ArticleStatus(rawValue: try $0.decode(column: "from_status", as: String.self)) ?? .draft,
                    ArticleStatus(rawValue: try $0.decode(column: "to_status", as: String.self)) ?? .draft,
                    try $0.optionalString("name"),
                    Date(millisecondsSince1970: try $0.decode(column: "at", as: Int64.self))
                )
            }
        }
    }

    // MARK: - Revisions

    /// The story's saved versions, newest first.
    public func revisions(of id: Int64) async throws -> [RevisionInfo] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT r.id, r.kind, r.version, r.saved_at, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: id) ORDER BY r.saved_at DESC, r.id DESC"
            ).all().map(Self.revisionInfo)
        }
    }

    /// One saved version of a story.
    public func revision(_ revisionID: Int64, of id: Int64) async throws -> (RevisionInfo, Article) {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT r.*, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = \(bind: revisionID) AND r.article_id = \(bind: id)"
                ).first()
            else { throw NewsroomError.notFound }
            return (try Self.revisionInfo(row), try Self.snapshot(row))
        }
    }

    /// Brings back the content of a saved version as a new save (status and address stay as they are).
    @discardableResult
    public func restore(
        _ revisionID: Int64, of id: Int64, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date()
    ) async throws -> Article {
        let (_, old) = try await revision(revisionID, of: id)
        guard let current = try await ArticleRepository(database: database).find(id: id) else {
            throw NewsroomError.notFound
        }
        var restored = old
        restored.id = id
        restored.slug = current.slug
        return try await save(restored, expectedVersion: expectedVersion, lockToken: lockToken, by: user, now: now)
    }

    // MARK: - Locks

    /// Opens the story for editing in one tab: takes the lock when it is free, stale or already this
    /// user's; otherwise reports who holds it, unless `takeOver` is set.
    public func lock(_ id: Int64, by user: User, takeOver: Bool = false, now: Date = Date()) async throws -> LockState {
        try await database.transaction { sql in
            let token = SessionRepository.randomToken()
            let stamp = now.millisecondsSince1970
            if let row = try await sql.raw(
                "SELECT l.user_id, l.acquired_at, l.seen_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
            ).first() {
                let holder = try row.decode(column: "user_id", as: Int64.self)
                let seen = Date(millisecondsSince1970: try row.decode(column: "seen_at", as: Int64.self))
                let isStale = now.timeIntervalSince(seen) > Self.lockTimeout
                if holder != user.id, !isStale, !takeOver {
                    return .heldByOther(
                        name: try row.decode(column: "name", as: String.self),
                        since: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
                }
                try await sql.raw(
                    "UPDATE article_locks SET user_id = \(bind: user.id!), token = \(bind: token), acquired_at = \(bind: stamp), seen_at = \(bind: stamp), taken_from = \(bind: holder == user.id ? nil : holder) WHERE article_id = \(bind: id)"
                ).run()
                if holder != user.id, !isStale {
                    try await sql.raw(
                        "INSERT INTO audit_log (at, user_id, action, subject) VALUES (\(bind: stamp), \(bind: user.id), 'lock_taken_over', \(bind: "article \(id)"))"
                    ).run()
                }
            } else {
                try await sql.raw(
                    "INSERT INTO article_locks (article_id, user_id, token, acquired_at, seen_at) VALUES (\(bind: id), \(bind: user.id!), \(bind: token), \(bind: stamp), \(bind: stamp))"
                ).run()
            }
            return .held(token: token)
        }
    }

    /// Who else holds the story's lock now, without taking it: `nil` when it is free, stale or `user`'s own.
    public func lockHolder(_ id: Int64, other user: User, now: Date = Date()) async throws -> LockState? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT l.user_id, l.acquired_at, l.seen_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
                ).first(),
                try row.decode(column: "user_id", as: Int64.self) != user.id,
                now.timeIntervalSince(Date(millisecondsSince1970: try row.decode(column: "seen_at", as: Int64.self)))
                    <= Self.lockTimeout
            else { return nil }
            return .heldByOther(
                name: try row.decode(column: "name", as: String.self),
                since: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
        }
    }

    /// Confirms that a tab still edits the story; tells it when the lock was taken over.
    public func heartbeat(_ id: Int64, token: String, now: Date = Date()) async throws -> LockState {
        try await database.transaction { sql in
            do {
                try await Self.checkLock(id, token: token, in: sql)
            } catch let error as NewsroomError {
                if case .lockLost(let name, let at) = error { return .lost(takenBy: name, at: at) }
                throw error
            }
            try await sql.raw(
                "UPDATE article_locks SET seen_at = \(bind: now.millisecondsSince1970) WHERE article_id = \(bind: id) AND token = \(bind: token)"
            ).run()
            return .held(token: token)
        }
    }

    /// Lets go of the lock (when the editor is closed).
    public func unlock(_ id: Int64, token: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM article_locks WHERE article_id = \(bind: id) AND token = \(bind: token)")
                .run()
        }
    }

    /// Everything that would make a save of `article` fail validation, checked without writing.
    public func problems(of article: Article) async throws -> [FieldError] {
        let own = ArticleValidation.problems(article)
        if !own.isEmpty { return own }
        return try await database.read { sql in
            do {
                try await Self.checkReferences(article, excluding: article.id, in: sql)
                return []
            } catch NewsroomError.invalid(let problems) {
                return problems
            }
        }
    }

    // MARK: - Helpers

    /// The edit's article with its tag and byline names resolved to ids (new ones added), inside `sql`'s
    /// transaction; names not given keep the article's ids.
    static func resolveNames(of edit: ArticleEdit, in sql: any SQLDatabase) async throws -> Article {
        var article = edit.article
        if let names = edit.tagNames { article.tagIDs = try await TagRepository.resolve(names: names, in: sql) }
        if let names = edit.bylineNames {
            article.bylineIDs = try await AuthorRepository.resolve(names: names, in: sql)
        }
        return article
    }

    private func validate(_ article: Article) async throws {
        let problems = ArticleValidation.problems(article)
        if !problems.isEmpty { throw NewsroomError.invalid(problems) }
    }

    static func checkLock(_ id: Int64, token: String, in sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.raw(
                "SELECT l.token, l.acquired_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
            ).first()
        else {
            // Nobody holds it (released or expired and cleaned): the tab must open the story again.
            throw NewsroomError.lockLost(takenBy: "", at: Date())
        }
        guard try row.decode(column: "token", as: String.self) == token else {
            throw NewsroomError.lockLost(
                takenBy: try row.decode(column: "name", as: String.self),
                at: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
        }
    }

    /// Body blocks may only refer to photos and articles that exist; the slug must be free.
    static func checkReferences(_ article: Article, excluding id: Int64?, in sql: any SQLDatabase) async throws {
        var problems: [FieldError] = []
        if try await Database.articleSlugTaken(article.slug, excluding: id, in: sql) {
            problems.append(FieldError(field: "slug", key: "error_slug_taken"))
        }
        var mediaIDs = article.body.compactMap { block -> Int64? in
            if case .image(let mediaID, _, _) = block { return mediaID }
            return nil
        }
        if let cover = article.coverMediaID { mediaIDs.append(cover) }
        if !mediaIDs.isEmpty {
            let list = SQLGroupExpression(SQLList(Set(mediaIDs).map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM media WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(mediaIDs).count { problems.append(FieldError(field: "body", key: "error_missing_media")) }
        }
        let related = article.body.compactMap { block -> Int64? in
            if case .readAlso(let articleID) = block { return articleID }
            return nil
        }
        if !related.isEmpty {
            let list = SQLGroupExpression(SQLList(Set(related).map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM articles WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(related).count || related.contains(id ?? -1) {
                problems.append(FieldError(field: "body", key: "error_missing_article"))
            }
        }
        let references: [(String, [Int64], String)] = [
            ("tags", article.tagIDs, "tags"), ("authors", article.bylineIDs, "bylines"),
        ]
        for (table, ids, field) in references where !ids.isEmpty {
            let list = SQLGroupExpression(SQLList(Set(ids).map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(ids).count { problems.append(FieldError(field: field, key: "error_missing_reference")) }
        }
        if let rubric = article.rubricID,
            try await sql.raw("SELECT 1 AS one FROM rubrics WHERE id = \(bind: rubric)").first() == nil
        {
            problems.append(FieldError(field: "rubric", key: "error_missing_reference"))
        }
        if !problems.isEmpty { throw NewsroomError.invalid(problems) }
    }

    static func addRevision(_ article: Article, kind: String, user: User, now: Date, in sql: any SQLDatabase)
        async throws
    {
        let snapshot = String(decoding: try JSONEncoder().encode(article), as: UTF8.self)
        try await sql.raw(
            "INSERT INTO revisions (article_id, kind, version, user_id, saved_at, snapshot) VALUES (\(bind: article.id!), \(bind: kind), \(bind: article.version), \(bind: user.id), \(bind: now.millisecondsSince1970), \(bind: snapshot))"
        ).run()
    }

    static func lastSave(of id: Int64, in sql: any SQLDatabase) async throws -> RevisionInfo? {
        try await sql.raw(
            "SELECT r.id, r.kind, r.version, r.saved_at, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: id) AND r.kind <> 'autosave' ORDER BY r.id DESC LIMIT 1"
        ).first().map(revisionInfo)
    }

    static func revisionInfo(_ row: any SQLRow) throws -> RevisionInfo {
        RevisionInfo(
            id: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
            version: try row.decode(column: "version", as: Int.self), userName: try row.optionalString("user_name"),
            savedAt: Date(millisecondsSince1970: try row.decode(column: "saved_at", as: Int64.self)))
    }

    static func snapshot(_ row: any SQLRow) throws -> Article {
        try JSONDecoder().decode(Article.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
    }
}

/// The tag and byline names of an autosave, as typed (kept beside its snapshot, never resolved).
struct TypedNames: Codable {
    var tags: [String]?
    var bylines: [String]?

    init(_ edit: ArticleEdit) {
        tags = edit.tagNames
        bylines = edit.bylineNames
    }
}
