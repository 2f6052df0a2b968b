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
        logger: web.logger
    )
}

/// Registers every route of the site on a router.
public func buildRouter(_ web: WebEnvironment) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorPageMiddleware(web: web))
    router.add(middleware: CanonicalURLMiddleware())
    PublicController(web: web).addRoutes(to: router)
    FileController(web: web).addRoutes(to: router)
    return router
}
