import Foundation
import HTTPTypes
import Hummingbird
import NewsCore
import NewsData
import Templates

/// Signing in and out of the newsroom.
struct AuthController {
    let web: WebEnvironment

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminLogin) { request, context in try await form(request, context) }
        router.post(SiteURL.Pattern.adminLogin, form: Login.self, upTo: Self.maxLoginBodyBytes) {
            request, context, form in try await login(form, request, context)
        }
        router.post(SiteURL.Pattern.adminLogout, form: EmptyForm.self) { request, context, _ in
            try await logout(request, context)
        }
    }

    /// The sign-in form.
    struct Login: Decodable, Sendable {
        var email: String?
        var password: String?
        var next: String?
    }

    /// Where to go after signing in: only newsroom paths of this site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/admin"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 500,
            next != SiteURL.adminLogin.path
        else { return SiteURL.admin.path }
        return next
    }

    private var secureCookies: Bool { web.settings.baseURL.lowercased().hasPrefix("https://") }

    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if context.session != nil { return Forms.seeOther(SiteURL.admin.path) }
        return try await render(
            request, next: Self.safeNext(Forms.query(request, "next")), email: "", errorKey: nil, status: .ok
        )
    }

    private func render(_ request: Request, next: String, email: String, errorKey: String?, status: HTTPResponse.Status)
        async throws -> Response
    {
        let token = SessionRepository.randomToken()
        let view = try await web.view()
        var data = view.newsroomRoot(session: nil, title: view.t["admin_login_title"], path: SiteURL.adminLogin.path)
        var form: TemplateValue = [
            "csrf": .string(token), "next": .string(next), "email": .string(email),
            "action": .string(SiteURL.adminLogin.path),
        ]
        if let errorKey { form["error"] = .string(view.t[errorKey]) }
        data["login"] = form
        var response = HTMLResponse(body: web.theme.page("admin/login", .object(data)), status: status, noIndex: true)
            .response(for: request)
        response.headers[.cacheControl] = "no-store"
        response.setCookie(
            Cookie(
                name: SessionMiddleware.loginCookie, value: token, maxAge: 3600, path: SiteURL.admin.path,
                secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// The largest sign-in form read: an e-mail, a password and a few tokens.
    static let maxLoginBodyBytes = 8 * 1024

    func login(_ form: Login, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let typed = String((form.email ?? "").prefix(320))
        let email = User.normalizedEmail(typed) ?? typed.lowercased()
        let password = form.password ?? ""
        let next = Self.safeNext(form.next)
        let now = web.settings.clock()
        let address = context.clientAddress
        // The attempt is counted before the password is checked, so that concurrent guesses cannot all pass.
        if case .refused(let first) = try await web.throttle.begin(email: email, address: address, now: now) {
            if first {
                try await web.audit.record("login_throttled", user: nil, subject: email, address: address, now: now)
            }
            return try await render(
                request, next: next, email: email, errorKey: "admin_login_throttled", status: .tooManyRequests)
        }
        let user: User?
        do {
            user = try await web.users.authenticate(email: email, password: password)
        } catch is WorkPool.Busy {
            try await web.throttle.finish(email: email, address: address, succeeded: nil, now: now)
            return try await render(
                request, next: next, email: email, errorKey: "admin_login_busy", status: .tooManyRequests)
        }
        guard let user else {
            try await web.audit.record("login_failed", user: nil, subject: email, address: address, now: now)
            return try await render(
                request, next: next, email: email, errorKey: "admin_login_failed", status: .unauthorized)
        }
        try await web.throttle.finish(email: email, address: address, succeeded: true, now: now)
        // A new session on every sign-in; the old one (if any) ends.
        if let old = request.cookies[SessionMiddleware.sessionCookie]?.value { try await web.sessions.end(token: old) }
        let (token, _) = try await web.sessions.start(for: user, address: address, now: now)
        try await web.audit.record("login", user: user.id, subject: user.email, address: address, now: now)
        var response = Forms.seeOther(next)
        response.setCookie(
            Cookie(
                name: SessionMiddleware.sessionCookie, value: token, maxAge: Int(SessionRepository.lifetime), path: "/",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(
            Cookie(
                name: SessionMiddleware.loginCookie, value: "", maxAge: 0, path: SiteURL.admin.path,
                secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[SessionMiddleware.sessionCookie]?.value {
            try await web.sessions.end(token: token)
        }
        try await web.audit.record(
            "logout", user: context.session?.user.id, subject: context.session?.user.email,
            address: context.clientAddress,
            now: web.settings.clock())
        var response = Forms.seeOther(SiteURL.adminLogin.path)
        response.setCookie(
            Cookie(
                name: SessionMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies,
                httpOnly: true,
                sameSite: .lax))
        return response
    }
}
