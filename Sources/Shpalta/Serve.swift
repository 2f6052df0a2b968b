import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NewsCore
import NewsData
import NewsImport
import NewsWeb
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `shpalta serve`: runs the web server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the site (migrates the database first).")

    @OptionGroup var common: CommonOptions

    @Option(
        help:
            "A PostgreSQL standby of the database that readers' pages are read from while it has caught up. Env: SHPALTA_DATABASE_REPLICA."
    )
    var databaseReplica: String?

    @Option(help: "Address to listen on (default 127.0.0.1). Env: SHPALTA_HOST.")
    var host: String?

    @Option(help: "Port to listen on (default 8080). Env: SHPALTA_PORT.")
    var port: Int?

    @Option(help: "The paper's name. Env: SHPALTA_SITE_NAME.")
    var siteName: String?

    @Option(help: "Public address of the site, e.g. https://news.example.com. Env: SHPALTA_BASE_URL.")
    var baseURL: String?

    @Option(help: "Time zone for dates shown to readers (default Europe/Kyiv). Env: SHPALTA_TIME_ZONE.")
    var timeZone: String?

    @Option(help: "Theme directory (default Themes/default). Env: SHPALTA_THEME_DIR.")
    var themeDir: String?

    @Option(help: "Language of the site: uk (default) or en. Env: SHPALTA_LANGUAGE.")
    var language: String?

    @Flag(help: "Fill an empty database with the demo newspaper.")
    var demo = false

    @Option(help: "Folder with the demo content (default ./Demo, or the one installed beside the binary).")
    var demoDir: String = "Demo"

    @Option(help: "A generated corpus (JSON Lines) the demo adds to the reference articles.")
    var demoCorpus: String?

    func run() async throws {
        // One dictionary handle (40 MB) instead of one per core: a server's words are nearly all in the lemma cache.
        HunspellLemmatizer.sharedHandles.store(1, ordering: .relaxed)
        var flags = common.flagValues
        flags["database.replica"] = databaseReplica
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["site.name"] = siteName
        flags["base.url"] = baseURL
        flags["time.zone"] = timeZone
        flags["theme.dir"] = themeDir
        flags["language"] = language
        let reader = try await SettingsReader(flags: flags)
        var logger = Logger(label: "shpalta")
        let level = reader.string("log.level") ?? "info"
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ValidationError(
                "The setting log.level (SHPALTA_LOG_LEVEL) must be one of "
                    + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ") + ", not \"\(level)\".")
        }
        logger.logLevel = logLevel
        // Request counts and latencies go to `/metrics`.
        SiteMetrics.bootstrap()

        let timeZoneName = reader.string("time.zone") ?? "Europe/Kyiv"
        guard let zone = TimeZone(identifier: timeZoneName) else {
            throw ValidationError("Unknown time zone \"\(timeZoneName)\" (use a name like Europe/Kyiv).")
        }
        let language = reader.string("language") ?? "uk"
        guard ["uk", "en"].contains(language) else { throw ValidationError("The language must be uk or en.") }
        let resolvedPort = try reader.integer("port", default: 8080)
        guard (1...65535).contains(resolvedPort) else { throw ValidationError("The port must be 1…65535.") }
        var settings = AppSettings(
            host: reader.string("host") ?? "127.0.0.1", port: resolvedPort,
            siteName: reader.string("site.name") ?? "Шпальта", baseURL: reader.string("base.url"), timeZone: zone,
            themeDirectory: reader.string("theme.dir") ?? InstalledFiles.locate("Themes/default"),
            defaultThemeDirectory: InstalledFiles.locate("Themes/default"), mediaDirectory: reader.mediaDirectory,
            language: language)
        try readLimits(reader, into: &settings)
        settings.trimsMemory = true
        settings.nodeID = reader.string("node.id") ?? "\(ProcessInfo.processInfo.hostName):\(resolvedPort)"
        // Connections beyond what the file limit allows would fail to be accepted; keep room for the database,
        // the theme and photos.
        if let files = FileLimit.raise(), settings.connections.maxConnections > files - 256 {
            let allowed = max(64, files - 256)
            logger.warning(
                "The connection limit is lowered to fit the open-file limit",
                metadata: ["connections": "\(allowed)", "files": "\(files)"])
            settings.connections.maxConnections = allowed
        }

        let database = try await Database.open(
            reader.databaseLocation, replica: reader.string("database.replica").map(DatabaseLocation.init),
            logger: logger)
        let web: WebEnvironment
        do {
            web = try await WebEnvironment(settings: settings, database: database, logger: logger)
        } catch {
            await database.close()
            throw error
        }
        let demo = demo
        let demoDir = InstalledFiles.locate(demoDir)
        let demoCorpus = demoCorpus
        let account = Mutex<(email: String, password: String)?>(nil)
        let startup = Startup(
            prepare: { [settings, logger, web] in
                try await Migrator(database: database).migrate()
                // This node's caches start empty: the events before now are not theirs to apply.
                try await web.changes.startNode()
                if demo {
                    let created = try await DemoLoader.ensureAdministrator(database: database)
                    account.withLock { $0 = created }
                    try await DemoLoader(
                        database: database, mediaDirectory: settings.mediaDirectory, demoDirectory: demoDir,
                        corpus: demoCorpus, logger: logger
                    ).loadIfEmpty()
                }
                let search = SearchRepository(database: database)
                if try await search.endUnfinishedBulkLoad() {
                    logger.info("Merged the search index an interrupted import or rebuild left unmerged")
                }
                if try await search.needsIndexing() {
                    logger.info("Building the search index (for the first time, or for a new version of the analyser)")
                    let count = try await search.reindex()
                    logger.info("Search index built", metadata: ["articles": "\(count)"])
                }
            },
            announce: { [settings] in
                // Written unbuffered, once the server listens: scripts wait for this line.
                say("Shpalta serves \(settings.baseURL)/ from \(database.location)")
                if let replica = database.replicaLocation {
                    say("Readers' pages are read from the replica \(replica) whenever it has caught up.")
                }
                if demo { say(DemoLoader.loginHint(settings: settings, account: account.withLock { $0 })) }
            })
        // The database is the application's first service: it is closed after everything that uses it stops,
        // and when start-up fails.
        do {
            // What has not finished 30 seconds after SIGTERM is cancelled: a request or a job stuck on a lost network
            // must not keep the process (and a systemd restart) waiting.
            var group = ServiceGroupConfiguration(
                services: [buildApplication(web, startup: startup)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            group.maximumGracefulShutdownDuration = .seconds(30)
            try await ServiceGroup(configuration: group).run()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}

extension Serve {
    /// The security and connection limits, each from `SHPALTA_…` (or `.env`): login throttling, trusted proxies,
    /// session idle time, audit retention, and the connection timeouts and limit.
    func readLimits(_ reader: SettingsReader, into settings: inout AppSettings) throws {
        func positive(_ key: String, _ value: Int) throws -> Int {
            let number = try reader.integer(key, default: value)
            guard number > 0 else { throw ValidationError("The setting \(key) must be above 0, not \(number).") }
            return number
        }
        let limits = settings.loginLimits
        settings.loginLimits = LoginThrottle.Limits(
            perAccountAndAddress: try positive("login.max.failures", limits.perAccountAndAddress),
            perAddress: try positive("login.max.failures.per.address", limits.perAddress),
            window: TimeInterval(try positive("login.window.minutes", Int(limits.window / 60)) * 60))
        func addresses(_ key: String) -> [String]? {
            reader.string(key).map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        settings.trustedProxies = addresses("trusted.proxies") ?? []
        settings.metricsAllowed = addresses("metrics.allow") ?? settings.metricsAllowed
        settings.sessionIdleTimeout =
            TimeInterval(try positive("session.idle.minutes", Int(settings.sessionIdleTimeout / 60)) * 60)
        settings.auditRetention =
            TimeInterval(try positive("audit.retention.days", Int(settings.auditRetention / 86400)) * 86400)
        let cacheMB = try reader.integer("page.cache.mb", default: settings.pageCacheBytes / 1_048_576)
        guard (0...65536).contains(cacheMB) else {
            throw ValidationError("The setting page.cache.mb must be 0 (off) to 65536, not \(cacheMB).")
        }
        settings.pageCacheBytes = cacheMB * 1_048_576
        settings.apiRequestsPerMinute = try positive("api.rate.limit", settings.apiRequestsPerMinute)
        settings.webhookTimeout = TimeInterval(try positive("webhook.timeout", Int(settings.webhookTimeout)))
        settings.mediaMaxBytes = try positive("media.max.mb", settings.mediaMaxBytes / 1_048_576) * 1_048_576
        let connections = settings.connections
        func seconds(_ key: String, _ value: TimeAmount) throws -> TimeAmount {
            .seconds(Int64(try positive(key, Int(value.nanoseconds / 1_000_000_000))))
        }
        settings.connections = ConnectionLimits(
            headerTimeout: try seconds("header.timeout", connections.headerTimeout),
            keepAliveTimeout: try seconds("keepalive.timeout", connections.keepAliveTimeout),
            bodyIdleTimeout: try seconds("body.timeout", connections.bodyIdleTimeout),
            maxConnections: try positive("max.connections", connections.maxConnections))
    }
}

extension DemoLoader {
    /// The demo's first administrator: created with a random password when the database has no
    /// accounts, and printed once.
    static func ensureAdministrator(database: Database) async throws -> (email: String, password: String)? {
        let users = UserRepository(database: database)
        guard try await users.count() == 0 else { return nil }
        let email = "redakciya@demo.shpalta"
        let password = PasswordOptions.generate()
        try await Newsroom(database: database).addPerson(
            email: email, name: "Редакція (демо)", role: .administrator, password: password, by: .commandLine)
        return (email, password)
    }

    /// What `serve --demo` prints for the operator.
    static func loginHint(settings: AppSettings, account: (email: String, password: String)?) -> String {
        var text = "Demo newspaper: \(settings.baseURL)/\nNewsroom: \(settings.baseURL)/admin/login"
        if let account {
            text +=
                "\n  e-mail:   \(account.email)\n  password: \(account.password)  (shown once; change it with `shpalta user reset-password`)"
        } else {
            text += "\n  sign in with an existing account (add one with `shpalta user add`)"
        }
        return text
    }
}

/// Prints a line to standard output at once (not buffered), for scripts that wait for it.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
