import Hummingbird
import Logging
import NewsData

/// Builds the web application: the router with every route, and the server configuration.
/// - Parameters:
///   - web: settings, theme and database.
/// - Returns: an application ready to `runService()`.
public func buildApplication(_ web: WebEnvironment) -> some ApplicationProtocol {
    Application(
        router: buildRouter(web),
        configuration: .init(address: .hostname(web.settings.host, port: web.settings.port), serverName: "Shpalta"),
        services: [PublishScheduler(database: web.database, clock: web.settings.clock, logger: web.logger)],
        logger: web.logger
    )
}

/// Registers every route of the site on a router.
public func buildRouter(_ web: WebEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorPageMiddleware(web: web))
    router.add(middleware: CanonicalURLMiddleware())
    router.add(middleware: SessionMiddleware(web: web))
    PublicController(web: web).addRoutes(to: router)
    SearchController(web: web).addRoutes(to: router)
    AuthController(web: web).addRoutes(to: router)
    NewsroomController(web: web).addRoutes(to: router)
    EditorController(web: web).addRoutes(to: router)
    RevisionsController(web: web).addRoutes(to: router)
    MediaController(web: web).addRoutes(to: router)
    AdministrationController(web: web).addRoutes(to: router)
    FileController(web: web).addRoutes(to: router)
    return router
}
