import ArgumentParser
import Logging

/// The `shpalta` command: serves the site and manages its data.
@main
struct Shpalta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shpalta",
        abstract: "A newsroom platform: the public news site, the newsroom and the JSON APIs in one binary.",
        subcommands: [
            Serve.self, Migrate.self, Import.self, UserCommand.self, KeyCommand.self, Reindex.self, MediaCommand.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// Logs go to standard error, so a command's own output on standard output stays clean for scripts.
    static func main() async {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
