import SQLKit

/// Site settings editors can change at run time (the call to action after articles, …), as text.
public struct SettingsRepository: Sendable {
    let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Every stored setting.
    public func all() async throws -> [String: String] {
        try await database.read { sql in
            var settings: [String: String] = [:]
            for row in try await sql.raw("SELECT key, value FROM settings").all() {
                settings[try row.decode(column: "key", as: String.self)] = try row.decode(
                    column: "value", as: String.self)
            }
            return settings
        }
    }
}
