import ArgumentParser
import Foundation
import NewsCore
import NewsData

/// `shpalta key …`: Content API keys from the command line, as administrators make them in the newsroom.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage Content API keys.",
        subcommands: [AddKey.self, AddToken.self, ListKeys.self, RevokeKey.self])
}

struct AddKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Make a Content API key and print it (it is shown only this once).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Who the key is for (up to 100 characters).") var name: String

    func run() async throws {
        try await withDatabase(common) { database in
            do {
                let (key, secret) = try await Newsroom(database: database).createAPIKey(
                    name: name, by: .commandLine)
                say("Made key \(key.id) for \(key.name).")
                say("Key: \(secret)")
            } catch NewsroomError.invalid {
                throw ValidationError("--name must have 1 to \(APIKey.maxNameLength) characters.")
            }
        }
    }
}

struct AddToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make a member an Admin API token and print it (shown only this once); it can do what they may.")

    @OptionGroup var common: CommonOptions
    @Option(help: "The member's e-mail.") var email: String
    @Option(help: "Who or what the token is for.") var name: String
    @Option(help: "Days it lasts (1 to \(APIKey.maxTokenDays)).") var days = 30

    func run() async throws {
        try await withDatabase(common) { database in
            let (user, _) = try await account(email, in: UserRepository(database: database))
            do {
                let (key, secret) = try await Newsroom(database: database).createAPIToken(
                    name: name, days: days, for: user)
                say(
                    "Made token \(key.id) for \(user.email), until \(ISO8601DateFormatter().string(from: key.expiresAt!))."
                )
                say("Token: \(secret)")
            } catch NewsroomError.invalid {
                throw ValidationError(
                    "--name must have 1 to \(APIKey.maxNameLength) characters, --days 1 to \(APIKey.maxTokenDays).")
            } catch NewsroomError.forbidden {
                throw ValidationError("\(user.email) is disabled.")
            }
        }
    }
}

struct ListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the Content API keys.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withDatabase(common) { database in
            for key in try await APIKeyRepository(database: database).all() {
                let state = key.revokedAt.map { "revoked \(ISO8601DateFormatter().string(from: $0))" } ?? "active"
                say("\(key.id)\t\(key.prefix)…\t\(state)\t\(key.name)")
            }
        }
    }
}

struct RevokeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a Content API key (a running server refuses it within a second).")

    @OptionGroup var common: CommonOptions
    @Argument(help: "The key's number, as `shpalta key list` shows it.") var id: Int64

    func run() async throws {
        try await withDatabase(common) { database in
            do {
                try await Newsroom(database: database).revokeAPIKey(id: id, by: .commandLine)
                say("Revoked key \(id).")
            } catch NewsroomError.notFound {
                throw ValidationError("There is no key \(id); `shpalta key list` shows them.")
            }
        }
    }
}
