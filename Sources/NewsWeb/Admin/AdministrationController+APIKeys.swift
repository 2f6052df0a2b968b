import Foundation
import HTTPTypes
import Hummingbird
import NewsCore
import NewsData
import Templates

// Keys to the Content API: administrators make one per app or partner, see it once, and revoke it.
extension AdministrationController {
    /// The "make a key" form.
    struct NewAPIKey: Decodable, Sendable {
        var name: String?
    }

    /// The keys, newest first, with the form to make one; `secret` is the key just made, shown this once.
    func apiKeys(
        _ request: Request, _ context: AppRequestContext, secret: String? = nil, error: String? = nil,
        name: String = ""
    ) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        let view = try await web.view()
        let keys = try await web.apiKeyList.all()
        var data: TemplateObject = [
            "keys": .list(
                keys.map { key in
                    var row: TemplateValue = [
                        "id": .int(Int(key.id)), "name": .string(key.name), "prefix": .string(key.prefix),
                        "created": view.date(key.createdAt, feed: false), "active": .bool(key.revokedAt == nil),
                        "revoke": .string(SiteURL.adminAPIKeyRevoke(id: key.id).path),
                    ]
                    if let revoked = key.revokedAt { row["revoked"] = view.date(revoked, feed: false) }
                    return row
                }),
            "name": .string(name), "docs": .string(SiteURL.apiDocs.path),
            "example": .string(web.settings.baseURL + "/api/v1/articles?limit=5"),
        ]
        if let secret { data["secret"] = .string(secret) }
        if let error { data["error"] = .string(error) }
        return try await page(
            request, session, template: "admin/api-keys", titleKey: "admin_api_keys", data: data,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func createAPIKey(_ form: NewAPIKey, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        let name = UkrainianText.normalize(form.name ?? "")
        do {
            let (_, secret) = try await web.newsroom.createAPIKey(
                name: name, by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
            // Shown on this answer only (not after a redirect): the secret is not kept anywhere.
            return try await apiKeys(request, context, secret: secret)
        } catch NewsroomError.invalid {
            return try await apiKeys(
                request, context, error: web.theme.localization["error_api_key_name"], name: name)
        }
    }

    func revokeAPIKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PageError.notFound }
        do {
            try await web.newsroom.revokeAPIKey(
                id: id, by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
        } catch NewsroomError.notFound {
            throw PageError.notFound
        }
        return Forms.seeOther(SiteURL.adminAPIKeys.path + "?notice=api_key_revoked")
    }
}

// Every member's own tokens to the Admin API.
extension AdministrationController {
    /// The "make a token" form.
    struct NewAPIToken: Decodable, Sendable {
        var name: String?
        var days: Int?
    }

    func addTokenRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminTokens) { request, context in try await tokens(request, context) }
        router.post(SiteURL.Pattern.adminTokens, form: NewAPIToken.self) { request, context, form in
            try await createToken(form, request, context)
        }
        router.post(SiteURL.Pattern.adminTokenRevoke, form: EmptyForm.self) { request, context, _ in
            try await revokeToken(request, context)
        }
    }

    func tokens(
        _ request: Request, _ context: AppRequestContext, secret: String? = nil, error: String? = nil,
        name: String = ""
    ) async throws -> Response {
        guard let session = context.session, let userID = session.user.id else { throw PageError.notFound }
        let view = try await web.view()
        let now = Date()
        let tokens = try await web.apiKeyList.tokens(of: userID)
        var data: TemplateObject = [
            "tokens": .list(
                tokens.map { token in
                    var row: TemplateValue = [
                        "name": .string(token.name), "prefix": .string(token.prefix),
                        "created": view.date(token.createdAt, feed: false), "active": .bool(token.isActive(at: now)),
                        "revoke": .string(SiteURL.adminTokenRevoke(id: token.id).path),
                    ]
                    if let expires = token.expiresAt { row["expires"] = view.date(expires, feed: false) }
                    if let revoked = token.revokedAt { row["revoked"] = view.date(revoked, feed: false) }
                    return row
                }),
            "name": .string(name), "docs": .string(SiteURL.apiDocs.path),
            "days": .list([30, 90, 365].map { ["value": .int($0), "selected": .bool($0 == 90)] }),
        ]
        if let secret { data["secret"] = .string(secret) }
        if let error { data["error"] = .string(error) }
        return try await page(
            request, session, template: "admin/api-tokens", titleKey: "admin_api_tokens", data: data,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func createToken(_ form: NewAPIToken, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        let name = UkrainianText.normalize(form.name ?? "")
        do {
            let (_, secret) = try await web.newsroom.createAPIToken(
                name: name, days: form.days ?? 0, for: session.user, now: Date())
            return try await tokens(request, context, secret: secret)
        } catch NewsroomError.invalid(let problems) {
            return try await tokens(request, context, error: web.theme.localization.messages(problems), name: name)
        }
    }

    func revokeToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session, let userID = session.user.id else { throw PageError.notFound }
        guard let id = context.parameters.get("id", as: Int64.self),
            try await web.apiKeyList.tokens(of: userID).contains(where: { $0.id == id })
        else { throw PageError.notFound }
        try await web.newsroom.revokeAPIKey(
            id: id, by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
        return Forms.seeOther(SiteURL.adminTokens.path + "?notice=api_token_revoked")
    }
}
