/// What a person or an importer asks to store: an article's fields, with its tags and bylines given by the names
/// typed. Names are resolved (new tags and guest bylines added) only inside the transaction that stores the
/// article, so a refused or half-finished edit (an autosave, a stale save) adds nothing.
public struct ArticleEdit: Sendable, Equatable, Codable {
    public var article: Article
    /// The tags by name, in order; `nil` keeps `article.tagIDs`.
    public var tagNames: [String]?
    /// The bylines by name, in order; `nil` keeps `article.bylineIDs`.
    public var bylineNames: [String]?

    /// Creates an edit.
    public init(_ article: Article, tagNames: [String]? = nil, bylineNames: [String]? = nil) {
        self.article = article
        self.tagNames = tagNames
        self.bylineNames = bylineNames
    }
}
