import ArgumentParser

/// The `shpalta` command: serves the site and manages its data.
@main
struct Shpalta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shpalta",
        abstract: "A newsroom platform: the public news site, the newsroom and the JSON APIs in one binary.",
        subcommands: [Serve.self, Migrate.self, Import.self],
        defaultSubcommand: Serve.self
    )
}
