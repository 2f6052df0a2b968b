import Hummingbird
import HummingbirdCore
import Logging
import NewsData
import ServiceLifecycle
import Synchronization

/// Builds the web application: the router with every route, the server configuration and its services.
/// - Parameters:
///   - web: settings, theme and database.
///   - startup: for a server that owns its database (`shpalta serve`): the steps run in `beforeServerStarts`
///     (the services that query the database wait for them), and the database runs as a service, closed after
///     everything else has stopped. Tests leave it out and manage the database themselves.
/// - Returns: an application ready to `runService()`.
public func buildApplication(_ web: WebEnvironment, startup: Startup? = nil) -> some ApplicationProtocol {
    let limits = web.settings.connections
    let gate = StartupGate()
    if startup == nil { gate.open() }
    let queries: [any Service] =
        [
            PublishScheduler(
                database: web.database, clock: web.settings.clock, logger: web.logger, dispatcher: web.changes),
            Housekeeping(web: web),
            ChangeDispatcherService(dispatcher: web.changes, logger: web.logger),
            CDNPurgeService(web: web),
            WebhookService(web: web),
            MostReadService(web: web),
            SuggestionIndexService(web: web),
        ]
        + (web.settings.makesRenditions ? [RenditionService(web: web)] : [])
    var services: [any Service] = startup == nil ? [] : [DatabaseService(database: web.database)]
    services += queries.map { AfterStartup(gate: gate, inner: AnyStartupService($0, logger: web.logger)) }
    services += web.pageCache.map { [PageCacheReporter(cache: $0, logger: web.logger)] } ?? []
    if web.settings.trimsMemory { services.append(MemoryTrim()) }
    var app = Application(
        router: buildRouter(web),
        server: SiteHTTP1Channel.server(
            limits: limits, pageCache: web.pageCache, language: web.settings.language, views: web.views,
            proxies: TrustedProxies(web.settings.trustedProxies)),
        configuration: .init(
            address: .hostname(web.settings.host, port: web.settings.port), serverName: "Shpalta",
            backlog: 1024,
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: web.logger)),
        services: services,
        onServerRunning: { _ in await startup?.announce() },
        logger: web.logger
    )
    if let startup {
        app.beforeServerStarts {
            try await startup.prepare()
            gate.open()
        }
    }
    return app
}

/// A service of any type, so the ones that wait for start-up can be listed together. One still running 5 seconds
/// after the server began to stop is named in the log (every 5 seconds), so that a stop that hangs says where.
private struct AnyStartupService: Service {
    let base: any Service
    let logger: Logger

    init(_ base: any Service, logger: Logger) {
        self.base = base
        self.logger = logger
    }

    func run() async throws {
        let finished = AtomicFlag()
        defer { finished.value.store(true, ordering: .releasing) }
        let name = String(describing: type(of: base))
        try await withGracefulShutdownHandler {
            try await base.run()
        } onGracefulShutdown: { [logger] in
            Task {
                var waited = 0
                while !finished.value.load(ordering: .acquiring) {
                    try? await Task.sleep(for: .seconds(5))
                    waited += 5
                    if !finished.value.load(ordering: .acquiring) {
                        logger.warning(
                            "A service is still stopping", metadata: ["service": "\(name)", "seconds": "\(waited)"])
                    }
                }
            }
        }
    }
}

/// Registers every route of the site on a router.
///
/// The newsroom's routes are registered through a group that carries the session and CSRF checks, so the
/// checks belong to the routes themselves: however a path is spelled (`//admin/login`, `/admin/./logout`),
/// a request that reaches a newsroom handler has passed them.
public func buildRouter(_ web: WebEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestIDMiddleware())
    if SiteMetrics.isRecording { router.add(middleware: MetricsMiddleware()) }
    // The probes and the metrics answer before the other middleware: they need no session, `/healthz` no database,
    // and `/metrics` checks the socket's own address.
    HealthController(web: web).addRoutes(to: router)
    MetricsController(web: web).addRoutes(to: router)
    router.add(middleware: ErrorPageMiddleware(web: web))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: TrustedProxies(web.settings.trustedProxies)))
    router.add(middleware: LegacyURLMiddleware(web: web))
    router.add(middleware: CanonicalURLMiddleware())
    // The reader's pages, served from memory when they can be (the page cache).
    // With a read replica, the readers' pages and search may read from it.
    let replica = web.database.replicaStatus != nil
    let pages = router.group()
    if replica { pages.add(middleware: ReplicaReadsMiddleware()) }
    // Readers' views of stories, for "Найпопулярніше" (those the connection answers from the cache are counted
    // there).
    pages.add(middleware: ViewCountMiddleware(counter: web.views))
    if let cache = web.pageCache {
        pages.add(middleware: PageCacheMiddleware(cache: cache, language: web.settings.language))
    }
    PublicController(web: web).addRoutes(to: pages)
    SyndicationController(web: web).addRoutes(to: pages)
    let search = router.group()
    if replica { search.add(middleware: ReplicaReadsMiddleware()) }
    SearchController(web: web).addRoutes(to: search)
    FileController(web: web).addRoutes(to: router)
    APIController(web: web).addRoutes(to: router)
    let newsroom = NewsroomRoutes(group: router.group().add(middleware: SessionMiddleware(web: web)))
    AuthController(web: web).addRoutes(to: newsroom)
    NewsroomController(web: web).addRoutes(to: newsroom)
    EditorController(web: web).addRoutes(to: newsroom)
    RevisionsController(web: web).addRoutes(to: newsroom)
    MediaController(web: web).addRoutes(to: newsroom)
    AdministrationController(web: web).addRoutes(to: newsroom)
    return router
}
