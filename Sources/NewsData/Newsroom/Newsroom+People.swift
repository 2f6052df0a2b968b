import Foundation
import NewsCore
import SQLKit

// People: newsroom accounts, their roles, the rubrics an editor is limited to, passwords. None of it shows on
// a public page; each change is an event (for the audit log, and for webhooks later).
extension Newsroom {
    /// Adds an account, credited under the byline of the same name (made in the same transaction). A malformed
    /// or taken e-mail, a bad name or a short password is refused (``NewsroomError/invalid(_:)``, each problem
    /// named by its field); then nothing is stored.
    @discardableResult
    public func addPerson(
        email: String, name: String, role: Role, password: String, by requester: Requester, now: Date = Date()
    ) async throws -> User {
        try requester.require(.managePeople)
        var problems: [FieldError] = []
        let normalized = User.normalizedEmail(email)
        if normalized == nil { problems.append(FieldError(field: "email", key: "error_person_email")) }
        let cleanName = UkrainianText.normalize(name)
        if cleanName.isEmpty || cleanName.count > 200 {
            problems.append(FieldError(field: "name", key: "error_person_name"))
        }
        if let problem = UserRepository.passwordProblem(password) { problems.append(problem) }
        guard problems.isEmpty, let normalized else { throw NewsroomError.invalid(problems) }
        let hash = try await users.hash(password)
        return try await database.transaction { sql in
            let user = try await UserRepository.insert(
                email: normalized, name: cleanName, role: role, passwordHash: hash, now: now, in: sql)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .userAdded, source: requester.source, userID: requester.user?.id, subject: user.email,
                    address: requester.address, at: now), in: sql)
            return user
        }
    }

    /// Changes an account's role, whether it is disabled, and the rubrics an editor is limited to (each only when
    /// given), in one transaction: all of it or nothing. Administrators cannot change their own role or disable
    /// themselves (and lock everyone out). Disabling ends the account's sessions at once; rubrics that do not
    /// exist are refused; an empty list of rubrics means all of them.
    public func changePerson(_ id: Int64, _ change: PersonChange, by requester: Requester, now: Date = Date())
        async throws
    {
        try requester.require(.managePeople)
        if requester.user?.id == id, change.role != nil || change.disabled != nil { throw NewsroomError.forbidden }
        try await changeAccount(id, by: requester, now: now) { sql, record in
            if let role = change.role {
                try await sql.raw("UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: id)").run()
                try await record(.roleChanged, role.rawValue)
            }
            if let disabled = change.disabled {
                try await sql.raw("UPDATE users SET disabled = \(bind: disabled) WHERE id = \(bind: id)").run()
                if disabled { try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run() }
                try await record(disabled ? .userDisabled : .userEnabled, nil)
            }
            if let rubricIDs = change.rubricIDs {
                try await sql.raw("DELETE FROM editor_rubrics WHERE user_id = \(bind: id)").run()
                for rubric in Set(rubricIDs).sorted() {
                    guard try await sql.raw("SELECT 1 AS one FROM rubrics WHERE id = \(bind: rubric)").first() != nil
                    else {
                        throw NewsroomError.invalid([FieldError(field: "rubrics", key: "error_missing_reference")])
                    }
                    try await sql.raw(
                        "INSERT INTO editor_rubrics (user_id, rubric_id) VALUES (\(bind: id), \(bind: rubric))"
                    ).run()
                }
                try await record(.editorRubricsChanged, nil)
            }
        }
    }

    /// Changes an account's role (``changePerson(_:_:by:now:)``).
    public func setRole(_ role: Role, of id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try await changePerson(id, PersonChange(role: role), by: requester, now: now)
    }

    /// Disables (or re-enables) an account (``changePerson(_:_:by:now:)``).
    public func setDisabled(_ disabled: Bool, of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try await changePerson(id, PersonChange(disabled: disabled), by: requester, now: now)
    }

    /// Limits an editor to `rubricIDs` (``changePerson(_:_:by:now:)``).
    public func setEditorRubrics(_ rubricIDs: [Int64], of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try await changePerson(id, PersonChange(rubricIDs: rubricIDs), by: requester, now: now)
    }

    /// Sets a new password, which signs the account out everywhere.
    public func resetPassword(_ password: String, of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try requester.require(.managePeople)
        if let problem = UserRepository.passwordProblem(password) { throw NewsroomError.invalid([problem]) }
        let hash = try await users.hash(password)
        try await changeAccount(id, by: requester, now: now) { sql, record in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id)").run()
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            try await record(.passwordReset, nil)
        }
    }

    /// Runs `change` on account `id` in one transaction; `change` records each of its events with the action and
    /// a detail (the subject is the account's e-mail). An unknown account is `notFound`.
    private func changeAccount(
        _ id: Int64, by requester: Requester, now: Date,
        _ change:
            @escaping @Sendable (
                any SQLDatabase, _ record: (ChangeEvent.Action, String?) async throws -> Void
            ) async throws -> Void
    ) async throws {
        try await database.transaction { sql in
            guard
                let email = try await sql.raw("SELECT email FROM users WHERE id = \(bind: id)").first()?
                    .decode(column: "email", as: String.self)
            else { throw NewsroomError.notFound }
            try await change(sql) { action, detail in
                try await ChangeLog.record(
                    ChangeEvent(
                        action: action, source: requester.source, userID: requester.user?.id,
                        subject: detail.map { "\(email): \($0)" } ?? email, address: requester.address, at: now),
                    in: sql)
            }
        }
    }
}

/// What ``Newsroom/changePerson(_:_:by:now:)`` changes: each field that is not nil.
public struct PersonChange: Sendable, Equatable {
    public var role: Role?
    public var disabled: Bool?
    /// The rubrics an editor is limited to (empty: all).
    public var rubricIDs: [Int64]?

    /// A change of the given fields.
    public init(role: Role? = nil, disabled: Bool? = nil, rubricIDs: [Int64]? = nil) {
        self.role = role
        self.disabled = disabled
        self.rubricIDs = rubricIDs
    }
}
