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
/// CSRF token (form field `_csrf` or header `X-CSRF-Token`), checked after the session so that nobody without
/// one gets a body read. The login form has its own token, in a cookie.
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
        var request = request
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
            let expected = isLogin ? request.cookies[Self.loginCookie]?.value : context.session?.csrfToken
            let given = try await Self.csrfToken(in: &request)
            guard let expected, let given, Forms.constantTimeEqual(expected, given) else {
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

    /// The CSRF token of a request: the `X-CSRF-Token` header, or the `_csrf` field of a form body
    /// (the body is kept for the handler).
    static func csrfToken(in request: inout Request) async throws -> String? {
        if let header = request.headers[HTTPField.Name("X-CSRF-Token")!] { return header }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Forms.maxBodyBytes)
        } catch {
            throw PageError.bodyTooLarge
        }
        for pair in String(buffer: buffer).split(separator: "&") where pair.hasPrefix(csrfField + "=") {
            return String(pair.dropFirst(csrfField.count + 1)).removingPercentEncoding
        }
        return nil
    }
}
