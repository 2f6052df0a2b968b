import Foundation
import NewsCore
import SQLKit

// The workflow: moving a story between statuses, scheduled publishing, and its history.
extension Newsroom {
    /// Moves the story along the workflow. `publishAt` is the time for `.scheduled` (in the future).
    @discardableResult
    public func transition(
        _ id: Int64, to status: ArticleStatus, publishAt: Date? = nil, by user: User, now: Date = Date()
    ) async throws -> Article {
        try await database.transaction { sql in
            guard let before = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first else {
                throw NewsroomError.notFound
            }
            guard
                Workflow.canMove(
                    from: before.status, to: status, role: user.role(forRubric: before.rubricID),
                    isOwn: Self.owns(before, user: user))
            else {
                throw NewsroomError.forbidden
            }
            return try await Self.move(
                before, to: status, publishAt: publishAt, by: user.id, action: .moved, source: .newsroom, now: now,
                in: sql)
        }
    }

    /// Publishes every scheduled story whose time has come, through the same move as an editor's (its transition
    /// recorded with no member, and its event with source "scheduler"); returns their ids. Safe to run on several
    /// nodes at once: a story is moved only from the version that was read, so each is published once.
    public func publishDue(now: Date = Date()) async throws -> [Int64] {
        try await database.transaction { sql in
            let due = try await ArticleRepository.articles(
                in: sql,
                where:
                    "a.status = 'scheduled' AND a.published_at <= \(bind: now.millisecondsSince1970) ORDER BY a.published_at, a.id"
            )
            var published: [Int64] = []
            for article in due {
                guard let id = article.id else { continue }
                do {
                    _ = try await Self.move(
                        article, to: .published, publishAt: nil, by: nil, action: .publishedOnSchedule,
                        source: .scheduler, now: now, in: sql)
                    published.append(id)
                } catch NewsroomError.stale {
                    continue  // another node published it first
                }
            }
            return published
        }
    }

    /// Moves `before` to `status` inside the caller's transaction: sets its publication time, bumps its version
    /// (only from the version read: a story moved meanwhile is `stale`), records the transition and the event.
    static func move(
        _ before: Article, to status: ArticleStatus, publishAt: Date?, by userID: Int64?, action: ChangeEvent.Action,
        source: ChangeEvent.Source, now: Date, in sql: any SQLDatabase
    ) async throws -> Article {
        guard let id = before.id else { throw NewsroomError.notFound }
        var article = before
        let from = article.status
        // Going public (now or at a set time): every photo needs its alt text and a credit, unless the paper has
        // turned the rule off. A story already scheduled goes out on time.
        if status == .published || status == .scheduled, action != .publishedOnSchedule {
            let problems = try await photoProblems(before, in: sql)
            if !problems.isEmpty { throw NewsroomError.invalid(problems) }
        }
        switch status {
        case .published:
            if action == .publishedOnSchedule {
                // On time: the time it was scheduled for stays its publication time.
            } else if from != .unpublished || article.publishedAt == nil {
                article.publishedAt = now
            }
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
        let claimed = try await sql.raw(
            "UPDATE articles SET version = \(bind: article.version) WHERE id = \(bind: id) AND version = \(bind: before.version) RETURNING id"
        ).first()
        guard claimed != nil else { throw NewsroomError.stale(current: before.version, savedBy: nil, savedAt: nil) }
        let stored = try await ArticleRepository.save(article, in: sql)
        try await sql.raw(
            "INSERT INTO transitions (article_id, from_status, to_status, user_id, at) VALUES (\(bind: id), \(bind: from.rawValue), \(bind: status.rawValue), \(bind: userID), \(bind: now.millisecondsSince1970))"
        ).run()
        // The audit entry comes from the event (AuditSubscriber).
        try await ChangeLog.record(
            action, source: source, user: userID, before: before, after: stored, now: now, in: sql)
        return stored
    }

    /// The setting of the rule that photos need alt text and a credit before a story goes public: "off" turns it
    /// off; anything else (or nothing) keeps it on.
    public static let photoRuleKey = "photos.need_alt_and_credit"

    /// What the photo rule finds wrong with `article`'s photos (its cover, then its body's): one problem per place.
    static func photoProblems(_ article: Article, in sql: any SQLDatabase) async throws -> [FieldError] {
        var used: [(id: Int64, field: String, credit: String?)] =
            article.coverMediaID.map { [($0, "cover", nil)] } ?? []
        for block in article.body {
            if case .image(let id, _, let credit) = block { used.append((id, "body", credit)) }
        }
        guard !used.isEmpty else { return [] }
        let rule = try await sql.raw("SELECT value FROM settings WHERE key = \(bind: photoRuleKey)").first()?
            .decode(column: "value", as: String.self)
        guard rule != "off" else { return [] }
        let ids = SQLGroupExpression(SQLList(Set(used.map(\.id)).sorted().map { SQLBind($0) }))
        var photos: [Int64: (alt: String, credit: String)] = [:]
        for row in try await sql.raw("SELECT id, alt, credit FROM media WHERE id IN \(ids)").all() {
            photos[try row.decode(column: "id", as: Int64.self)] = (
                try row.decode(column: "alt", as: String.self),
                try row.decodeNil(column: "credit") ? "" : try row.decode(column: "credit", as: String.self)
            )
        }
        var problems: [FieldError] = []
        for use in used {
            guard let photo = photos[use.id] else { continue }
            let credit = (use.credit ?? "").isEmpty ? photo.credit : use.credit!
            let missing =
                photo.alt.trimmingCharacters(in: .whitespaces).isEmpty
                || credit.trimmingCharacters(in: .whitespaces).isEmpty
            if missing, !problems.contains(where: { $0.field == use.field }) {
                problems.append(FieldError(field: use.field, key: "error_photo_alt_credit"))
            }
        }
        return problems
    }

    /// When the next scheduled story is due, if any.
    public func nextDue() async throws -> Date? {
        try await database.read { sql in
            try await sql.raw("SELECT MIN(published_at) AS due FROM articles WHERE status = 'scheduled'").first()?
                .optionalInt64("due").map(Date.init(millisecondsSince1970:))
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
}
