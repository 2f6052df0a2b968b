import Foundation

/// A key to the Content API (read-only, published stories), made by an administrator for an app or a partner; or
/// a member's token to the Admin API, which can do what the member may, until it expires.
///
/// Only a hash of the secret is stored; the secret itself is shown once, when the key is made, and its first
/// characters (`prefix`) let the newsroom tell keys apart afterwards.
public struct APIKey: Sendable, Equatable, Identifiable {
    /// What a key opens.
    public enum Kind: String, Sendable, Codable {
        case content
        /// A member's token to the Admin API.
        case admin
    }

    public var id: Int64
    public var kind: Kind
    /// Who the key is for ("Додаток для iOS", "Telegram-бот").
    public var name: String
    /// The secret's first characters, to tell keys apart in lists.
    public var prefix: String
    public var createdAt: Date
    /// The administrator who made it.
    public var createdBy: Int64?
    public var revokedAt: Date?
    /// A token's member.
    public var userID: Int64?
    /// When a token stops working.
    public var expiresAt: Date?

    /// Creates a key's description.
    public init(
        id: Int64, kind: Kind, name: String, prefix: String, createdAt: Date, createdBy: Int64? = nil,
        revokedAt: Date? = nil, userID: Int64? = nil, expiresAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.userID = userID
        self.expiresAt = expiresAt
    }

    /// Whether requests with this key are answered at `now`.
    public func isActive(at now: Date) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }

    /// The longest a token may last.
    public static let maxTokenDays = 365

    /// The longest name a key may have.
    public static let maxNameLength = 100
}
