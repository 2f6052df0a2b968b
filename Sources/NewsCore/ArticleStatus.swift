/// Where a story is in the newsroom's workflow.
public enum ArticleStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case review
    case scheduled
    case published
    case unpublished
}
