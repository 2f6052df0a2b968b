import Foundation
import NewsCore
import SQLKit

// The paper itself: its rubrics (the menu on every page) and its settings (name, call to action). A change to
// either shows on every public page.
extension Newsroom {
    /// Renames, reorders and moves rubrics (their addresses stay) and adds `new`, all in one transaction: the whole
    /// form is stored, or nothing. Names have 1 to 100 characters, descriptions at most 300, positions are 0 to
    /// 1000; a parent must exist and no rubric may end up under itself; a new rubric's slug must be valid, not
    /// reserved and free; a rubric that does not exist is `notFound`.
    public func changeRubrics(
        _ changes: [RubricChange], adding new: Rubric? = nil, by requester: Requester, now: Date = Date()
    ) async throws {
        try requester.require(.manageRubrics)
        var problems: [FieldError] = []
        for (field, name, position) in changes.map({ ("\($0.id)", $0.name, $0.position) })
            + (new.map { [("new", $0.name, $0.position)] } ?? [])
        {
            let clean = UkrainianText.normalize(name)
            if clean.isEmpty || clean.count > 100 || clean != name {
                problems.append(FieldError(field: field + "_name", key: "error_rubric_name"))
            }
            if !(0...1000).contains(position) {
                problems.append(FieldError(field: field + "_position", key: "error_rubric_position"))
            }
        }
        for (field, description) in changes.map({ ("\($0.id)", $0.description) })
            + (new.map { [("new", $0.description)] } ?? [])
        where description.count > Rubric.descriptionLimit || description != UkrainianText.normalize(description) {
            problems.append(FieldError(field: field + "_description", key: "error_rubric_description"))
        }
        if let new, !Slug.isValid(new.slug) || Slug.reserved.contains(new.slug) {
            problems.append(FieldError(field: "new_slug", key: "error_slug_invalid"))
        }
        guard problems.isEmpty else { throw NewsroomError.invalid(problems) }
        try await database.transaction { sql in
            var stored = try await sql.raw("SELECT \(Columns.rubric) FROM rubrics r").all().compactMap {
                try $0.rubric()
            }
            for change in changes {
                guard let index = stored.firstIndex(where: { $0.id == change.id }) else {
                    throw NewsroomError.notFound
                }
                stored[index].parentID = change.parentID
            }
            // Before anything is written: every parent named exists, and no rubric sits under itself once the
            // whole form is applied.
            let known = Set(stored.compactMap(\.id))
            var wrong: [FieldError] = []
            for change in changes where change.parentID.map({ !known.contains($0) }) ?? false {
                wrong.append(FieldError(field: "\(change.id)_parent", key: "error_rubric_parent"))
            }
            if let parent = new?.parentID, !known.contains(parent) {
                wrong.append(FieldError(field: "new_parent", key: "error_rubric_parent"))
            }
            let tree = RubricTree(stored)
            if tree.hasLoop {
                for change in changes where tree.makesLoop(change.id, under: change.parentID) {
                    wrong.append(FieldError(field: "\(change.id)_parent", key: "error_rubric_loop"))
                }
            }
            guard wrong.isEmpty else { throw NewsroomError.invalid(wrong) }
            for change in changes {
                try await sql.raw(
                    "UPDATE rubrics SET name = \(bind: change.name), position = \(bind: change.position), parent_id = \(bind: change.parentID), description = \(bind: change.description) WHERE id = \(bind: change.id)"
                ).run()
            }
            if let new {
                if try await sql.raw("SELECT 1 AS one FROM rubrics WHERE slug = \(bind: new.slug)").first() != nil {
                    throw NewsroomError.invalid([FieldError(field: "new_slug", key: "error_rubric_slug_taken")])
                }
                let added = try await RubricRepository.upsert(new, in: sql)
                if !new.description.isEmpty, let id = added.id {
                    try await sql.raw(
                        "UPDATE rubrics SET description = \(bind: new.description) WHERE id = \(bind: id)"
                    )
                    .run()
                }
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

/// What an administrator changes of a rubric: its name, its place in the menu and the rubric it sits under.
public struct RubricChange: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var position: Int
    public var parentID: Int64?
    public var description: String

    /// Creates a change of the rubric with `id`.
    public init(id: Int64, name: String, position: Int, parentID: Int64? = nil, description: String = "") {
        self.id = id
        self.name = name
        self.position = position
        self.parentID = parentID
        self.description = description
    }
}
