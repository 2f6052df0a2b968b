/// What a newsroom member may do. Every route checks these on the server.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Writes drafts only.
    case contributor
    /// Writes and submits their own articles.
    case journalist
    /// Edits, publishes, schedules and unpublishes any article (optionally only in some rubrics).
    case editor
    /// Also manages people, rubrics and site settings.
    case administrator

    private var rank: Int {
        switch self {
        case .contributor: 0
        case .journalist: 1
        case .editor: 2
        case .administrator: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do `permission`.
    public func can(_ permission: Permission) -> Bool {
        switch permission {
        case .enterNewsroom, .writeDrafts: true
        case .submitForReview: self >= .journalist
        case .editAnyArticle, .publish, .schedule, .unpublish: self >= .editor
        case .managePeople, .manageRubrics, .manageSettings: self == .administrator
        }
    }
}

/// An action guarded by a role check.
public enum Permission: String, Sendable, CaseIterable {
    case enterNewsroom
    case writeDrafts
    case submitForReview
    case editAnyArticle
    case publish
    case schedule
    case unpublish
    case managePeople
    case manageRubrics
    case manageSettings
}
