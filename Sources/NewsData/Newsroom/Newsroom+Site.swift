import Foundation
import NewsCore
import SQLKit

// The paper itself: its rubrics (the menu on every page) and its settings (name, call to action). A change to
// either shows on every public page.
extension Newsroom {
    /// Renames and reorders rubrics (their addresses stay) and adds `new`, all in one transaction: the whole form
    /// is stored, or nothing. A new rubric's slug must be valid, not reserved and free.
    public func changeRubrics(
        _ changes: [(id: Int64, name: String, position: Int)], adding new: Rubric? = nil, by requester: Requester,
        now: Date = Date()
    ) async throws {
        try requester.require(.manageRubrics)
        if let new, !Slug.isValid(new.slug) || Slug.reserved.contains(new.slug) {
            throw NewsroomError.invalid([FieldError(field: "new_slug", key: "error_slug_invalid")])
        }
        try await database.transaction { sql in
            for change in changes {
                try await sql.raw(
                    "UPDATE rubrics SET name = \(bind: change.name), position = \(bind: change.position) WHERE id = \(bind: change.id)"
                ).run()
            }
            if let new {
                if try await sql.raw("SELECT 1 AS one FROM rubrics WHERE slug = \(bind: new.slug)").first() != nil {
                    throw NewsroomError.invalid([FieldError(field: "new_slug", key: "error_slug_taken")])
                }
                _ = try await RubricRepository.upsert(new, in: sql)
            }
            try await ChangeLog.record(
                ChangeEvent(
                    action: .rubricsChanged, source: requester.source, userID: requester.user?.id,
                    address: requester.address, keys: [ChangeEvent.everyPage], at: now), in: sql)
        }
    }

    /// Stores several settings at once: all of them or none.
    public func changeSettings(_ values: [String: String], by requester: Requester, now: Date = Date()) async throws {
        try requester.require(.manageSettings)
        try await database.transaction { sql in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try await sql.raw(
                    "INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ).run()
            }
            try await ChangeLog.record(
                ChangeEvent(
                    action: .settingsChanged, source: requester.source, userID: requester.user?.id,
                    address: requester.address, keys: [ChangeEvent.everyPage], at: now), in: sql)
        }
    }
}
