import ArgumentParser
import Configuration
import Foundation
import NewsData
import NewsWeb
import SystemPackage

/// Options every subcommand takes. Each may also come from the environment (`SHPALTA_DATABASE`, …)
/// or from a `.env` file in the working directory; a flag wins over the environment, which wins over
/// `.env`.
struct CommonOptions: ParsableArguments {
    @Option(
        help:
            "SQLite file path (default ./data/shpalta.sqlite) or postgres://user:pass@host:port/db URL. Env: SHPALTA_DATABASE."
    )
    var database: String?

    @Option(help: "Folder where photos are stored. Env: SHPALTA_MEDIA_DIR.")
    var mediaDir: String?

    /// Flag values under their configuration keys.
    var flagValues: [String: String] {
        var values: [String: String] = [:]
        values["database"] = database
        values["media.dir"] = mediaDir
        return values
    }
}

/// Reads settings from flags, the environment and `.env`, in that order of precedence.
struct SettingsReader {
    let config: ConfigReader

    init(flags: [String: String]) async throws {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            values[AbsoluteConfigKey(["shpalta"] + key.split(separator: ".").map(String.init))] = ConfigValue(
                .string(value), isSecret: key.hasPrefix("database"))
        }
        let dotEnv: EnvironmentVariablesProvider
        do {
            dotEnv = try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true)
        } catch {
            throw ValidationError("The .env file cannot be read: \(error)")
        }
        config = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider(), dotEnv,
        ])
    }

    func string(_ key: String) -> String? {
        config.string(forKey: ConfigKey("shpalta." + key))
    }

    var databaseLocation: DatabaseLocation {
        string("database").map(DatabaseLocation.init) ?? .defaultSQLite
    }

    var mediaDirectory: String {
        if let directory = string("media.dir") { return directory }
        if case .sqlite(let path) = databaseLocation {
            return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("media")
        }
        return "data/media"
    }

    func integer(_ key: String, default value: Int) throws -> Int {
        guard let text = string(key) else { return value }
        guard let number = Int(text) else {
            throw ValidationError("The setting \(key) must be a whole number, not \"\(text)\".")
        }
        return number
    }
}
