import Foundation

/// A member of the newsroom who can sign in.
public struct User: Sendable, Equatable {
    public var id: Int64?
    /// Sign-in name, stored lowercased.
    public var email: String
    public var name: String
    public var role: Role
    public var disabled: Bool
    /// The byline this person writes under, when they have one.
    public var authorID: Int64?
    public var createdAt: Date
    /// For editors: the rubrics they may edit and publish in (empty: all of them).
    public var rubricIDs: [Int64] = []

    /// Creates a user.
    public init(
        id: Int64? = nil, email: String, name: String, role: Role, disabled: Bool = false, authorID: Int64? = nil,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.disabled = disabled
        self.authorID = authorID
        self.createdAt = createdAt
    }

    /// The role this person has for a story in `rubricID`: an editor limited to some rubrics is a
    /// journalist for stories outside them.
    public func role(forRubric rubricID: Int64?) -> Role {
        guard role == .editor, !rubricIDs.isEmpty else { return role }
        if let rubricID, rubricIDs.contains(rubricID) { return role }
        return .journalist
    }

    /// Lowercases and trims an e-mail address; `nil` when it is not shaped like one.
    public static func normalizedEmail(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        return email
    }
}
