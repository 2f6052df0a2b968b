import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NewsCore
import NewsData
import Templates

/// Turns every error a handler throws into a themed page with a readable message: 404, 410, 400, 414, 503 with
/// `Retry-After` while the database is away, and, for anything unexpected, a logged 500 that shows no internals.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let web: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch  where request.uri.path.hasPrefix("/api/") {
            // Programs get JSON with a stable code, also for an address the API does not have, and 405 with the
            // methods it takes for one it has.
            if let methods = web.apiDocument.methods(for: request.uri.path),
                !methods.contains(request.method.rawValue)
            {
                var response = APIError.method.response(web.theme.localization)
                response.headers[.allow] = (methods + (methods.contains("GET") ? ["HEAD"] : [])).joined(separator: ", ")
                return response
            }
            return APIGateMiddleware<Context>.response(for: error, web: web, path: request.uri.path)
        } catch let error as PageError {
            return await page(for: error, request: request)
        } catch is WorkPool.Busy {
            // The threads for heavy work (phrase checks, password hashes) are all taken: try again soon.
            var response = await page(for: .busy, request: request)
            response.headers[.retryAfter] = "5"
            return response
        } catch let error as NewsroomError {
            // A use case refused what no form of ours sends (the forms check first): its page, not a 500.
            return await page(for: PageError(error), request: request)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return await page(for: .notFound, request: request)
            case .methodNotAllowed, .badRequest, .contentTooLarge, .unsupportedMediaType:
                return await page(
                    for: PageError(
                        status: error.status, headingKey: "error_400_heading", messageKey: "error_400_message"),
                    request: request)
            default:
                context.logger.error(
                    "HTTP error", metadata: ["status": "\(error.status.code)", "path": "\(request.uri.path)"])
                return await page(for: .internalError, request: request)
            }
        } catch  where Database.isUnavailable(error) {
            // The database is away (restarting, failed over, closed): nothing was stored, and the request can be
            // sent again shortly. Pages the cache holds are still served.
            context.logger.warning(
                "Database unavailable", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            var response = await page(for: .unavailable, request: request, readingSite: false)
            response.headers[.retryAfter] = "5"
            return response
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return await page(for: .internalError, request: request)
        }
    }

    /// The themed page for `error`, with the site's navigation: read from the database when it is not in memory,
    /// unless `readingSite` is false (the database is away, and another wait for it would only delay the answer).
    private func page(for error: PageError, request: Request, readingSite: Bool = true) async -> Response {
        let now = web.settings.clock()
        let kept = readingSite ? try? await web.site() : web.siteInfo.peek()
        let site = kept ?? SiteInfo(name: web.settings.siteName, tree: RubricTree([]), rubricWords: [], cta: nil)
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: site, now: now)
        let t = web.theme.localization
        var data = view.root(title: t[error.headingKey], path: request.uri.path)
        data["error"] = [
            "status": .int(Int(error.status.code)), "heading": .string(t[error.headingKey]),
            "message": .string(t[error.messageKey]), "homeURL": .string(SiteURL.home.path),
        ]
        var response = HTMLResponse(
            html: web.theme.render("pages/error", .object(data)), status: error.status, noIndex: true
        )
        .response(for: request)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
