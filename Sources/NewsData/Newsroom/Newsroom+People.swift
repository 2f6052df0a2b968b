import Foundation
import NewsCore
import SQLKit

// People: newsroom accounts, their roles, the rubrics an editor is limited to, passwords. None of it shows on
// a public page; each change is an event (for the audit log, and for webhooks later).
extension Newsroom {
    /// Adds an account, credited under the byline of the same name (made in the same transaction). Fails with a
    /// readable error for a malformed or taken e-mail, a bad name or a short password; then nothing is stored.
    @discardableResult
    public func addPerson(
        email: String, name: String, role: Role, password: String, by requester: Requester, now: Date = Date()
    ) async throws -> User {
        try requester.require(.managePeople)
        guard let normalized = User.normalizedEmail(email) else {
            throw DatabaseError("\"\(email)\" is not an e-mail address.")
        }
        let cleanName = UkrainianText.normalize(name)
        guard !cleanName.isEmpty, cleanName.count <= 200 else {
            throw DatabaseError("The name must be 1 to 200 characters.")
        }
        try UserRepository.checkPassword(password)
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

    /// Changes an account's role. Administrators cannot change their own (and lock everyone out).
    public func setRole(_ role: Role, of id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try requester.require(.managePeople)
        guard requester.user?.id != id else { throw NewsroomError.forbidden }
        try await changePerson(id, action: .roleChanged, detail: role.rawValue, by: requester, now: now) { sql in
            try await sql.raw("UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: id)").run()
        }
    }

    /// Disables (or re-enables) an account; disabling ends its sessions at once.
    public func setDisabled(_ disabled: Bool, of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try requester.require(.managePeople)
        guard requester.user?.id != id else { throw NewsroomError.forbidden }
        try await changePerson(id, action: disabled ? .userDisabled : .userEnabled, by: requester, now: now) { sql in
            try await sql.raw("UPDATE users SET disabled = \(bind: disabled) WHERE id = \(bind: id)").run()
            if disabled { try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run() }
        }
    }

    /// Limits an editor to `rubricIDs` (empty: all rubrics). Rubrics that do not exist are refused.
    public func setEditorRubrics(_ rubricIDs: [Int64], of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try requester.require(.managePeople)
        try await changePerson(id, action: .editorRubricsChanged, by: requester, now: now) { sql in
            try await sql.raw("DELETE FROM editor_rubrics WHERE user_id = \(bind: id)").run()
            for rubric in Set(rubricIDs).sorted() {
                guard try await sql.raw("SELECT 1 AS one FROM rubrics WHERE id = \(bind: rubric)").first() != nil
                else { throw NewsroomError.invalid([FieldError(field: "rubrics", key: "error_missing_reference")]) }
                try await sql.raw(
                    "INSERT INTO editor_rubrics (user_id, rubric_id) VALUES (\(bind: id), \(bind: rubric))"
                ).run()
            }
        }
    }

    /// Sets a new password, which signs the account out everywhere.
    public func resetPassword(_ password: String, of id: Int64, by requester: Requester, now: Date = Date())
        async throws
    {
        try requester.require(.managePeople)
        try UserRepository.checkPassword(password)
        let hash = try await users.hash(password)
        try await changePerson(id, action: .passwordReset, by: requester, now: now) { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id)").run()
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
        }
    }

    /// Runs `change` on account `id` and records its event (subject: the account's e-mail, and `detail`), in one
    /// transaction; an unknown account is `notFound`.
    private func changePerson(
        _ id: Int64, action: ChangeEvent.Action, detail: String? = nil, by requester: Requester, now: Date,
        _ change: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        try await database.transaction { sql in
            guard
                let email = try await sql.raw("SELECT email FROM users WHERE id = \(bind: id)").first()?
                    .decode(column: "email", as: String.self)
            else { throw NewsroomError.notFound }
            try await change(sql)
            try await ChangeLog.record(
                ChangeEvent(
                    action: action, source: requester.source, userID: requester.user?.id,
                    subject: detail.map { "\(email): \($0)" } ?? email, address: requester.address, at: now),
                in: sql)
        }
    }
}
