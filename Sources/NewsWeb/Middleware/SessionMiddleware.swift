import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NewsCore
import NewsData

/// Guards the newsroom. It is attached to the newsroom's routes (a router group), not to a path prefix, so it
/// runs for every request that reaches a newsroom handler however its path was spelled. Every route but the
/// login form needs a live session of an active account; every state-changing request must carry the session's
/// CSRF token: in the header `X-CSRF-Token`, checked here, or in the form field `_csrf`, checked where the form is
/// decoded (``NewsroomRoutes``); the session comes first, so that nobody without one gets a body read. The login
/// form has its own token, in a cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let web: WebEnvironment

    static let sessionCookie = "shpalta_session"
    static let loginCookie = "shpalta_login"
    static let csrfField = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let token = request.cookies[Self.sessionCookie]?.value {
            context.session = try await web.sessions.find(token: token, now: web.settings.clock())
        }
        let isLogin = context.endpointPath == SiteURL.Pattern.adminLogin.description
        let isSafe = request.method == .get || request.method == .head
        if !isLogin {
            guard let session = context.session else {
                if isSafe {
                    let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    return Forms.seeOther(
                        SiteURL.adminLogin.path + "?next="
                            + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                }
                throw PageError.unauthorized
            }
            guard session.user.role.can(.enterNewsroom) else { throw PageError.forbidden }
        }
        if !isSafe {
            // The header is checked here; a form's `_csrf` field where the form is decoded, once, before its
            // handler runs (``NewsroomRoutes``).
            let expected = isLogin ? request.cookies[Self.loginCookie]?.value : context.session?.csrfToken
            guard let expected else { throw PageError.csrf }
            if let header = request.headers[HTTPField.Name("X-CSRF-Token")!] {
                guard Forms.constantTimeEqual(expected, header) else { throw PageError.csrf }
                context.csrf = .verified
            } else if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                context.csrf = .expected(expected)
            } else {
                throw PageError.csrf
            }
        }
        var response = try await next(request, context)
        // A change is acknowledged only once its events reached the subscribers: the next request for a public
        // page sees it. The write itself is stored already; should dispatching fail, the dispatcher's next pass
        // (a quarter of a second later) delivers the events, so this is logged, not shown as an error.
        if !isSafe {
            do {
                try await web.changes.drain()
            } catch {
                web.logger.error("Dispatching change events failed", metadata: ["error": "\(error)"])
            }
        }
        // Newsroom pages are private: never cached by browsers or proxies.
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
