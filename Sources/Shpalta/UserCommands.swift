import ArgumentParser
import Foundation
import NewsCore
import NewsData

/// `shpalta user …`: newsroom accounts from the command line (scriptable: no prompts).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage newsroom accounts.",
        subcommands: [AddUser.self, ResetPassword.self, DisableUser.self])
}

/// Reads a password from standard input (first line), or makes a random one.
struct PasswordOptions: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input instead of generating one.")
    var passwordStdin = false

    /// The password, and whether it was generated (and so must be shown).
    func password() throws -> (String, generated: Bool) {
        guard passwordStdin else { return (Self.generate(), true) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--password-stdin: standard input has no password on its first line.")
        }
        return (line, false)
    }

    /// 20 characters from an alphabet without look-alikes.
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a newsroom account.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Sign-in e-mail.") var email: String
    @Option(help: "Full name.") var name: String
    @Option(help: "administrator, editor, journalist or contributor.") var role: String
    @OptionGroup var passwordOptions: PasswordOptions

    func run() async throws {
        guard let role = Role(rawValue: role.lowercased()) else {
            throw ValidationError("--role must be one of: administrator, editor, journalist, contributor.")
        }
        let (password, generated) = try passwordOptions.password()
        try await withDatabase(common) { database in
            let user: User
            do {
                user = try await Newsroom(database: database).addPerson(
                    email: email, name: name, role: role, password: password, by: .commandLine)
            } catch NewsroomError.invalid(let problems) {
                throw ValidationError(problems.map(Self.message).joined(separator: " "))
            }
            say("Added \(user.role.rawValue) \(user.email).")
            if generated { say("Password: \(password)") }
        }
    }
}

extension AddUser {
    /// The command line's words for what the newsroom refused.
    static func message(_ problem: FieldError) -> String {
        switch problem.key {
        case "error_person_email": "--email is not an e-mail address."
        case "error_person_email_taken": "An account with this e-mail already exists."
        case "error_person_name": "--name must have 1 to 200 characters."
        case "error_password_short":
            "The password must have at least \(UserRepository.minimumPasswordLength) characters."
        case "error_password_long": "The password must be at most 72 bytes (a bcrypt limit)."
        default: "\(problem.field): \(problem.key)"
        }
    }
}

struct ResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "Set a new password (signs the account out everywhere).")

    @OptionGroup var common: CommonOptions
    @Option(help: "The account's e-mail.") var email: String
    @OptionGroup var passwordOptions: PasswordOptions

    func run() async throws {
        let (password, generated) = try passwordOptions.password()
        try await withDatabase(common) { database in
            let users = UserRepository(database: database)
            let (user, id) = try await account(email, in: users)
            do {
                try await Newsroom(database: database).resetPassword(password, of: id, by: .commandLine)
            } catch NewsroomError.invalid(let problems) {
                throw ValidationError(problems.map(AddUser.message).joined(separator: " "))
            }
            say("New password set for \(user.email).")
            if generated { say("Password: \(password)") }
        }
    }
}

struct DisableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an account (its sessions end at once).")

    @OptionGroup var common: CommonOptions
    @Option(help: "The account's e-mail.") var email: String
    @Flag(help: "Enable the account again instead.") var enable = false

    func run() async throws {
        try await withDatabase(common) { database in
            let users = UserRepository(database: database)
            let (user, id) = try await account(email, in: users)
            try await Newsroom(database: database).setDisabled(!enable, of: id, by: .commandLine)
            say(enable ? "Enabled \(user.email)." : "Disabled \(user.email); its sessions have ended.")
        }
    }
}

/// Opens (and unless told otherwise migrates) the database of `common`, runs `body`, and closes the database
/// exactly once, whether `body` succeeds or throws. The audit entries of what `body` changed are written before
/// it returns (a running server's page cache follows the same events on its own).
func withDatabase(_ common: CommonOptions, migrate: Bool = true, _ body: (Database) async throws -> Void) async throws {
    let reader = try await SettingsReader(flags: common.flagValues)
    let database = try await Database.open(reader.databaseLocation)
    do {
        if migrate { try await Migrator(database: database).migrate() }
        try await body(database)
        try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}

/// The account with `email`, or a readable error naming it.
func account(_ email: String, in users: UserRepository) async throws -> (User, Int64) {
    guard let user = try await users.find(email: email), let id = user.id else {
        throw ValidationError("No account with the e-mail \(email).")
    }
    return (user, id)
}
