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
        var data: [String: TemplateValue] = [
            "keys": .list(
                keys.map { key in
                    var row: TemplateValue = [
                        "id": .int(Int(key.id)), "name": .string(key.name), "prefix": .string(key.prefix),
                        "created": view.date(key.createdAt, feed: false), "active": .bool(key.isActive),
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
