import Crypto
import Foundation
import NewsCore
import SQLKit

/// Reads the keys to the Content API. They are made and revoked only by the newsroom's use cases
/// (``Newsroom/createAPIKey(name:by:now:)``, ``Newsroom/revokeAPIKey(id:by:now:)``).
public struct APIKeyRepository: Sendable {
    let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Every content key, newest first, revoked ones included (for the newsroom's list).
    public func all() async throws -> [APIKey] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM api_keys WHERE kind = 'content' ORDER BY id DESC"
            ).all().compactMap(Self.key(from:))
        }
    }

    /// Member `userID`'s Admin API tokens, newest first, revoked and expired ones included.
    public func tokens(of userID: Int64) async throws -> [APIKey] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM api_keys WHERE kind = 'admin' AND user_id = \(bind: userID) ORDER BY id DESC"
            ).all().compactMap(Self.key(from:))
        }
    }

    static let columns = "id, kind, name, prefix, created_at, created_by, revoked_at, user_id, expires_at"

    /// The keys that open the API now, by the hash of their secret.
    public func active() async throws -> [String: APIKey] {
        try await database.read { sql in
            var keys: [String: APIKey] = [:]
            for row in try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns), secret_hash FROM api_keys WHERE revoked_at IS NULL"
            ).all() {
                guard let key = try Self.key(from: row) else { continue }
                keys[try row.decode(column: "secret_hash", as: String.self)] = key
            }
            return keys
        }
    }

    /// A new secret for a key of `kind`: "shp_c_" and 32 random bytes in base64url.
    static func newSecret(_ kind: APIKey.Kind) -> String {
        let tag =
            switch kind {
            case .content: "c"
            case .admin: "a"
            }
        return "shp_\(tag)_" + SessionRepository.randomToken()
    }

    /// How a secret is stored and looked up: SHA-256, in lowercase hex.
    public static func hash(_ secret: some StringProtocol) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(secret.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A key from its row; `nil` for a kind this version does not know.
    static func key(from row: any SQLRow) throws -> APIKey? {
        guard let kind = APIKey.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
        return APIKey(
            id: try row.decode(column: "id", as: Int64.self), kind: kind,
            name: try row.decode(column: "name", as: String.self),
            prefix: try row.decode(column: "prefix", as: String.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: Int64?.self),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            userID: try row.decode(column: "user_id", as: Int64?.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
    }
}
