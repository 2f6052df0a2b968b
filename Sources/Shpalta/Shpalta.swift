import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import NewsWeb

/// The `shpalta` command: serves the site and manages its data.
@main
struct Shpalta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shpalta",
        abstract: "A newsroom platform: the public news site, the newsroom and the JSON APIs in one binary.",
        subcommands: [
            Serve.self, Migrate.self, Import.self, UserCommand.self, KeyCommand.self, Reindex.self, MediaCommand.self,
            Backup.self, Check.self, Export.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// Logs go to standard error, so a command's own output on standard output stays clean for scripts: as text, or
    /// with `SHPALTA_LOG_FORMAT=json` (in the environment or `.env`) one JSON object a line.
    static func main() async {
        // The server's tasks run on the event loops that do the network I/O, so a request is not handed between two
        // pools of threads on its way in and out (docs/adr/0015-tasks-on-the-event-loops.md). Heavy work has pools
        // of its own (``WorkPool``). The other commands keep Swift's own pool.
        if (try? parseAsRoot()) is Serve {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        let format = (try? await SettingsReader(flags: [:]))?.string("log.format") ?? "text"
        switch format {
        case "text": LoggingSystem.bootstrap { TextLogHandler(label: $0) }
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default:
            FileHandle.standardError.write(
                Data("The setting log.format must be text or json, not \"\(format)\".\n".utf8))
            Foundation.exit(64)
        }
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
