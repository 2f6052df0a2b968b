/// The publishing workflow: draft → in review → scheduled or published → unpublished, and who may
/// move a story along each step.
public enum Workflow {
    /// Whether `role` may move a story from `from` to `to`. `isOwn` says whether the user created the
    /// story or is credited on it (journalists and contributors work on their own stories only).
    public static func canMove(from: ArticleStatus, to: ArticleStatus, role: Role, isOwn: Bool) -> Bool {
        guard from != to else { return false }
        if role.can(.editAnyArticle) {
            switch (from, to) {
            case (_, .published): return role.can(.publish)
            case (_, .scheduled): return role.can(.schedule)
            case (.published, .unpublished), (.scheduled, .unpublished): return role.can(.unpublish)
            case (.scheduled, .draft), (.review, .draft), (.unpublished, .draft): return true
            case (.draft, .review): return true
            default: return false
            }
        }
        guard isOwn else { return false }
        switch (from, to) {
        case (.draft, .review): return role.can(.submitForReview)
        case (.review, .draft): return role.can(.submitForReview)
        default: return false
        }
    }

    /// The steps `role` may take from `status`, in the order a newsroom offers them.
    public static func moves(from status: ArticleStatus, role: Role, isOwn: Bool) -> [ArticleStatus] {
        [.review, .published, .scheduled, .draft, .unpublished].filter {
            canMove(from: status, to: $0, role: role, isOwn: isOwn)
        }
    }

    /// Whether `role` may change the text of a story in `status`.
    public static func canEdit(status: ArticleStatus, role: Role, isOwn: Bool) -> Bool {
        if role.can(.editAnyArticle) { return true }
        guard isOwn else { return false }
        switch status {
        case .draft: return true
        case .review: return role.can(.submitForReview)
        default: return false
        }
    }
}
