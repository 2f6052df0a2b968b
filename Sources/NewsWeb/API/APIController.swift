import Foundation
import Hummingbird
import NIOCore
import NewsCore
import OpenAPIHummingbird
import OpenAPIRuntime
import Templates

/// Registers the API: its OpenAPI document and the page made from it (open to anyone), and the Content API's
/// operations behind the door of keys and limits, with their response cache.
struct APIController<Context: RequestContext> {
    let web: WebEnvironment

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.apiDocument) { request, _ in
            var response = HTMLResponse(body: ByteBuffer(bytes: web.apiDocument.json), maxAge: 3600)
            response.contentType = "application/json; charset=utf-8"
            return response.response(for: request)
        }
        router.get(SiteURL.Pattern.apiDocs) { request, _ in
            let view = try await web.view()
            let html = web.theme.render("pages/api-docs", .object(APIDocsPage(document: web.apiDocument).view(view)))
            return HTMLResponse(html: html, maxAge: 3600, surrogateKeys: [ChangeEvent.everyPage]).response(for: request)
        }
        let api = router.group().add(middleware: APIGateMiddleware(web: web, limiter: web.apiLimiter))
        if let cache = web.apiCache {
            api.add(
                middleware: PageCacheMiddleware(
                    cache: cache, language: web.settings.language, storesPrivate: true, ignoredParameter: "key",
                    uncachedPrefix: APIGateMiddleware<Context>.adminPrefix))
        }
        api.add(middleware: APIResponseMiddleware())
        let configuration = Configuration(
            dateTranscoder: APIDateTranscoder(dates: web.dates),
            jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
        do {
            try ContentAPI(web: web).registerHandlers(
                on: api, serverURL: URL(string: "/api/v1")!, configuration: configuration)
        } catch {
            preconditionFailure("The API's routes cannot be registered: \(error)")
        }
    }
}
