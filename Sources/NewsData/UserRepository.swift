import Foundation
import HummingbirdBcrypt
import NewsCore
import SQLKit

/// Stores newsroom accounts. Passwords are kept only as bcrypt hashes.
public struct UserRepository: Sendable {
    public let database: Database
    /// bcrypt cost; tests lower it to keep suites fast.
    let cost: UInt8
    /// Where password hashes are computed: never on the threads that serve pages.
    let hashing: WorkPool

    /// Creates a repository over `database`.
    /// - Parameters:
    ///   - bcryptCost: the cost of new hashes.
    ///   - hashing: the threads that hash and verify passwords (``passwordHashing`` by default).
    public init(database: Database, bcryptCost: UInt8 = 12, hashing: WorkPool = UserRepository.passwordHashing) {
        self.database = database
        self.cost = bcryptCost
        self.hashing = hashing
    }

    /// The process's password threads: one per core but one (at least one), and a short queue; beyond it a
    /// sign-in is refused as busy rather than waiting for seconds.
    public static let passwordHashing = WorkPool(
        name: "bcrypt", threads: max(1, ProcessInfo.processInfo.activeProcessorCount - 1), maxWaiting: 8)

    /// A new hash, off the threads that serve pages; waits for a thread rather than refusing (only members and
    /// the command line set passwords).
    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await hashing.run(queueing: true) { Bcrypt.hash(password, cost: cost) }
    }

    /// The shortest password accepted.
    public static let minimumPasswordLength = 10

    /// Adds an account inside the caller's transaction (``Newsroom/addPerson(email:name:role:password:by:now:)``):
    /// its byline is the author of the same name, resolved in the same transaction, so a refused account leaves
    /// no author behind.
    static func insert(
        email normalized: String, name: String, role: Role, passwordHash hash: String, now: Date,
        in sql: any SQLDatabase
    ) async throws -> User {
        if try await sql.raw("SELECT 1 AS one FROM users WHERE email = \(bind: normalized)").first() != nil {
            throw NewsroomError.invalid([FieldError(field: "email", key: "error_person_email_taken")])
        }
        let authorID = try await AuthorRepository.resolve(names: [name], in: sql).first
        let id = try await sql.raw(
            """
            INSERT INTO users (email, name, role, password_hash, disabled, author_id, created_at)
            VALUES (\(bind: normalized), \(bind: name), \(bind: role.rawValue), \(bind: hash), \(bind: false), \(bind: authorID), \(bind: now.millisecondsSince1970))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        return User(id: id, email: normalized, name: name, role: role, authorID: authorID, createdAt: now)
    }

    /// What is wrong with `password` as a new account's, if anything: too short, or longer than bcrypt reads.
    static func passwordProblem(_ password: String) -> FieldError? {
        if password.count < minimumPasswordLength { return FieldError(field: "password", key: "error_password_short") }
        if password.utf8.count > 72 { return FieldError(field: "password", key: "error_password_long") }
        return nil
    }

    /// The account with `email` (any case).
    public func find(email: String) async throws -> User? {
        guard let normalized = User.normalizedEmail(email) else { return nil }
        return try await database.read { sql in
            guard
                var user = try await sql.raw("SELECT * FROM users WHERE email = \(bind: normalized)").first().map(
                    Self.user(from:))
            else { return nil }
            user.rubricIDs = try await Self.rubricIDs(of: user.id!, in: sql)
            return user
        }
    }

    /// The account with `id`.
    public func find(id: Int64) async throws -> User? {
        try await database.read { sql in
            guard
                var user = try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.user(from:))
            else { return nil }
            user.rubricIDs = try await Self.rubricIDs(of: id, in: sql)
            return user
        }
    }

    /// The rubrics an editor is limited to (empty: all).
    static func rubricIDs(of id: Int64, in sql: any SQLDatabase) async throws -> [Int64] {
        try await sql.raw("SELECT rubric_id FROM editor_rubrics WHERE user_id = \(bind: id) ORDER BY rubric_id").all()
            .map { try $0.decode(column: "rubric_id", as: Int64.self) }
    }

    /// The active account whose password is `password`; `nil` for a wrong password, an unknown e-mail or a
    /// disabled account (the same answer for all three, and the same work, so timing tells nothing).
    public func authenticate(email: String, password: String) async throws -> User? {
        let normalized = User.normalizedEmail(email) ?? ""
        let row = try await database.read { sql in
            try await sql.raw("SELECT * FROM users WHERE email = \(bind: normalized)").first()
        }
        let stored = try row?.decode(column: "password_hash", as: String.self)
        let matches =
            password.utf8.count <= 72
            ? try await hashing.run { Bcrypt.verify(password, hash: stored ?? Self.decoyHash) } : false
        guard let row, matches else { return nil }
        var user = try Self.user(from: row)
        let id = user.id!
        user.rubricIDs = try await database.read { sql in try await Self.rubricIDs(of: id, in: sql) }
        return user.disabled ? nil : user
    }

    /// A hash no password matches, verified for unknown e-mails so they cost as much as known ones.
    static let decoyHash = Bcrypt.hash(UUID().uuidString, cost: 12)

    /// Every account, by name.
    public func all() async throws -> [User] {
        try await database.read { sql in
            var users = try await sql.raw("SELECT * FROM users ORDER BY disabled, name, id").all().map(Self.user(from:))
            for index in users.indices {
                users[index].rubricIDs = try await Self.rubricIDs(of: users[index].id!, in: sql)
            }
            return users
        }
    }

    /// How many accounts exist.
    public func count() async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int64.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .contributor,
            disabled: try row.bool("disabled"), authorID: try row.optionalInt64("author_id"),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)))
    }
}
