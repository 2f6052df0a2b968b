import Foundation
import NewsCore
import SQLKit

// Tags: journalists make them by typing names into a story; administrators tidy them up. A tag's address stays
// when it is renamed, so links to its page keep working.
extension Newsroom {
    /// Gives tag `id` a new name (its slug, and so its address, stays). A name that another tag's slug already
    /// stands for is refused: journalists typing it would get that other tag.
    @discardableResult
    public func renameTag(_ id: Int64, to name: String, by requester: Requester, now: Date = Date()) async throws
        -> Tag
    {
        try requester.require(.manageRubrics)
        let clean = UkrainianText.normalize(name)
        let slug = Slug.make(from: clean)
        guard !clean.isEmpty, clean.count <= 100, !slug.isEmpty else {
            throw NewsroomError.invalid([FieldError(field: "name", key: "error_tag_name")])
        }
        return try await database.transaction { sql in
            guard var tag = try await TagRepository.find(id: id, in: sql) else { throw NewsroomError.notFound }
            if let other = try await sql.raw("SELECT id FROM tags WHERE slug = \(bind: slug)").first()?
                .decode(column: "id", as: Int64.self), other != id
            {
                throw NewsroomError.invalid([FieldError(field: "name", key: "error_tag_name_taken")])
            }
            let before = tag.name
            tag.name = clean
            try await sql.raw("UPDATE tags SET name = \(bind: clean) WHERE id = \(bind: id)").run()
            // The tag's page, every story page that lists it and the API's answers show the name; renames are
            // rare, so every page is made again rather than a key kept on each for each tag.
            var event = ChangeEvent(
                action: .tagRenamed, source: requester.source, userID: requester.user?.id,
                subject: "\(before) → \(clean)", address: requester.address, keys: [ChangeEvent.everyPage], at: now)
            // The topic it names (the search box's suggestions show its name).
            event.tagIDs = [id]
            try await ChangeLog.record(event, in: sql)
            return tag
        }
    }

    /// Removes tag `id`, which no story may carry (a tag in use is refused, so no story changes behind its
    /// editors' backs).
    public func removeTag(_ id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try requester.require(.manageRubrics)
        try await database.transaction { sql in
            guard let tag = try await TagRepository.find(id: id, in: sql) else { throw NewsroomError.notFound }
            if try await sql.raw("SELECT 1 AS one FROM article_tags WHERE tag_id = \(bind: id) LIMIT 1").first()
                != nil
            {
                throw NewsroomError.invalid([FieldError(field: "tag", key: "error_tag_in_use")])
            }
            try await sql.raw("DELETE FROM tags WHERE id = \(bind: id)").run()
            try await ChangeLog.record(
                ChangeEvent(
                    action: .tagRemoved, source: requester.source, userID: requester.user?.id, subject: tag.name,
                    address: requester.address, keys: ["tag-\(id)"], at: now), in: sql)
        }
    }
}
