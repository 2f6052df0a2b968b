import Foundation
import NewsCore
import SQLKit

// Keys to the Content API: made and revoked by administrators. A key shows on no page, so its events name no
// page; the server's key registry follows them.
extension Newsroom {
    /// Makes a content key named `name`; returns it with its secret, which is shown this once and never stored.
    public func createAPIKey(name: String, by requester: Requester, now: Date = Date()) async throws -> (
        key: APIKey, secret: String
    ) {
        try requester.require(.manageSettings)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= APIKey.maxNameLength else {
            throw NewsroomError.invalid([FieldError(field: "name", key: "error_api_key_name")])
        }
        let secret = APIKeyRepository.newSecret(.content)
        let prefix = String(secret.prefix(12))
        let id = try await database.transaction { sql -> Int64 in
            guard
                let row = try await sql.insert(into: "api_keys")
                    .columns("kind", "name", "secret_hash", "prefix", "created_by", "created_at")
                    .values(
                        SQLBind(APIKey.Kind.content.rawValue), SQLBind(name), SQLBind(APIKeyRepository.hash(secret)),
                        SQLBind(prefix), SQLBind(requester.user?.id), SQLBind(now.millisecondsSince1970)
                    )
                    .returning("id").first()
            else { throw DatabaseError("The database did not return the new key's id.") }
            let id = try row.decode(column: "id", as: Int64.self)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .apiKeyCreated, source: requester.source, userID: requester.user?.id,
                    subject: "api key \(id) \(prefix)", address: requester.address, at: now), in: sql)
            return id
        }
        let key = APIKey(
            id: id, kind: .content, name: name, prefix: prefix, createdAt: now, createdBy: requester.user?.id)
        return (key, secret)
    }

    /// Makes member `user` a token to the Admin API that lasts `days` days; returns it with its secret, shown this
    /// once. The token can do exactly what its member may, and nothing once the member is disabled.
    public func createAPIToken(name: String, days: Int, for user: User, now: Date = Date()) async throws -> (
        key: APIKey, secret: String
    ) {
        guard let userID = user.id, !user.disabled, user.role.can(.enterNewsroom) else {
            throw NewsroomError.forbidden
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldError] = []
        if name.isEmpty || name.count > APIKey.maxNameLength {
            problems.append(FieldError(field: "name", key: "error_api_key_name"))
        }
        if !(1...APIKey.maxTokenDays).contains(days) {
            problems.append(FieldError(field: "days", key: "error_api_token_days"))
        }
        guard problems.isEmpty else { throw NewsroomError.invalid(problems) }
        let secret = APIKeyRepository.newSecret(.admin)
        let prefix = String(secret.prefix(12))
        let expires = now.addingTimeInterval(TimeInterval(days) * 86_400)
        let id = try await database.transaction { sql -> Int64 in
            guard
                let row = try await sql.insert(into: "api_keys")
                    .columns(
                        "kind", "name", "secret_hash", "prefix", "user_id", "created_by", "created_at", "expires_at"
                    )
                    .values(
                        SQLBind(APIKey.Kind.admin.rawValue), SQLBind(name), SQLBind(APIKeyRepository.hash(secret)),
                        SQLBind(prefix), SQLBind(userID), SQLBind(userID), SQLBind(now.millisecondsSince1970),
                        SQLBind(expires.millisecondsSince1970)
                    )
                    .returning("id").first()
            else { throw DatabaseError("The database did not return the new token's id.") }
            let id = try row.decode(column: "id", as: Int64.self)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .apiKeyCreated, source: .newsroom, userID: userID, subject: "api token \(id) \(prefix)",
                    at: now), in: sql)
            return id
        }
        let key = APIKey(
            id: id, kind: .admin, name: name, prefix: prefix, createdAt: now, createdBy: userID, userID: userID,
            expiresAt: expires)
        return (key, secret)
    }

    /// Revokes key `id`: from the next request on, it opens nothing. Revoking a revoked key changes nothing.
    /// Administrators revoke any key; a member, their own tokens.
    public func revokeAPIKey(id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try await database.transaction { sql in
            guard
                let row = try await sql.raw("SELECT prefix, revoked_at, user_id FROM api_keys WHERE id = \(bind: id)")
                    .first()
            else { throw NewsroomError.notFound }
            let owner = try row.decode(column: "user_id", as: Int64?.self)
            if owner == nil || owner != requester.user?.id { try requester.require(.manageSettings) }
            guard try row.decode(column: "revoked_at", as: Int64?.self) == nil else { return }
            try await sql.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now.millisecondsSince1970) WHERE id = \(bind: id)"
            ).run()
            let prefix = try row.decode(column: "prefix", as: String.self)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .apiKeyRevoked, source: requester.source, userID: requester.user?.id,
                    subject: "api key \(id) \(prefix)", address: requester.address, at: now), in: sql)
        }
    }
}
