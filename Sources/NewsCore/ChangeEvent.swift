import Foundation

/// What one write changed, as every subscriber needs to know it. For a story: which article, its slug and status
/// before and after, the rubrics, tags and authors it belonged to (before or after). For a change to the paper
/// itself (rubrics, settings, people, photos): what it names. For both: the public addresses and surrogate keys
/// of the pages that show it. Written to the outbox in the same transaction as the change.
public struct ChangeEvent: Sendable, Equatable, Codable {
    /// What happened. The actions that are not about one story are also the audit log's names for them.
    public enum Action: String, Sendable, Codable {
        case created, saved, moved
        /// A correction was added to a published story.
        case corrected
        case publishedOnSchedule = "published_on_schedule"
        case rubricsChanged = "rubrics_changed"
        case settingsChanged = "settings_changed"
        case userAdded = "user_added"
        case roleChanged = "role_changed"
        case userDisabled = "user_disabled"
        case userEnabled = "user_enabled"
        case editorRubricsChanged = "editor_rubrics_changed"
        case passwordReset = "password_reset"
        case mediaUploaded = "media_uploaded"
        /// One transaction of an import (its stories have events of their own, with source `import`).
        case articlesImported = "articles_imported"
        case apiKeyCreated = "api_key_created"
        case apiKeyRevoked = "api_key_revoked"
        case webhookAdded = "webhook_added"
        case webhookRemoved = "webhook_removed"
        case webhookRedelivered = "webhook_redelivered"
        case tagRenamed = "tag_renamed"
        case tagRemoved = "tag_removed"
        /// The renditions of a photo were made (by the server, after an upload or an import).
        case mediaProcessed = "media_processed"
        /// A photo's caption, credit, alt text or focal point was edited in the media library.
        case mediaChanged = "media_changed"
        /// A whole site was read back from an export (`shpalta import jsonl` of `shpalta export`'s file).
        case siteRestored = "site_restored"

        /// Whether the action is about one story (and the event has its article fields).
        public var isArticle: Bool {
            switch self {
            case .created, .saved, .moved, .publishedOnSchedule, .corrected: true
            default: false
            }
        }
    }

    /// The surrogate key of every public page: the menu, the paper's name and its call to action are on all.
    public static let everyPage = "site"

    /// Who made the change.
    public enum Source: String, Sendable, Codable {
        case newsroom, scheduler, `import`
        /// The operator, at the server's command line.
        case command
    }

    /// The outbox's order; `nil` before it is stored.
    public var id: Int64?
    public var at: Date
    public var action: Action
    public var source: Source
    public var userID: Int64?
    /// The address the change was requested from, when it came over HTTP (for the audit log).
    public var address: String?
    /// What a change that is not about a story names in the audit log (an e-mail address, a file).
    public var subject: String?
    /// The story's fields: all set for a story's event, `nil` for any other.
    public var articleID: Int64?
    public var oldSlug: String?
    public var newSlug: String?
    public var oldStatus: ArticleStatus?
    public var newStatus: ArticleStatus?
    /// Rubrics, tags and authors of the article before and after the change (their pages may list it).
    public var rubricIDs: [Int64]
    public var tagIDs: [Int64]
    public var authorIDs: [Int64]
    /// Public paths whose pages may show the change.
    public var urls: [String]
    /// Surrogate keys of the pages that show the change, as pages name themselves in `Surrogate-Key`:
    /// `article-ID`, `rubric-ID`, `tag-ID`, `author-ID` and `feed` (the home page, `/news` and the running feed
    /// beside every article), or ``everyPage``. Empty when the change shows on no public page (a draft, a role).
    public var keys: [String]

    /// The event of a change to the paper itself, not to one story.
    public init(
        action: Action, source: Source = .newsroom, userID: Int64?, subject: String? = nil, address: String? = nil,
        keys: [String] = [], at: Date
    ) {
        precondition(!action.isArticle, "a story's event is made from the story")
        self.at = at
        self.action = action
        self.source = source
        self.userID = userID
        self.subject = subject
        self.address = address
        rubricIDs = []
        tagIDs = []
        authorIDs = []
        urls = []
        self.keys = keys
    }

    /// The event of a write that turned `before` (nil for a new article) into `after`. Its `urls` name the
    /// article's own pages; the outbox adds those of its rubric, tag and author pages, whose slugs only the
    /// database knows.
    public init(action: Action, source: Source, userID: Int64?, before: Article?, after: Article, at: Date) {
        self.at = at
        self.action = action
        self.source = source
        self.userID = userID
        self.articleID = after.id ?? 0
        self.oldSlug = before?.slug
        self.newSlug = after.slug
        self.oldStatus = before?.status
        self.newStatus = after.status
        func union(_ a: [Int64], _ b: [Int64]) -> [Int64] { Array(Set(a + b)).sorted() }
        rubricIDs = union(before?.rubricID.map { [$0] } ?? [], after.rubricID.map { [$0] } ?? [])
        tagIDs = union(before?.tagIDs ?? [], after.tagIDs)
        authorIDs = union(before?.bylineIDs ?? [], after.bylineIDs)
        // Only a story that is or was public touches public pages: a draft's saves touch none.
        guard before?.status == .published || after.status == .published else {
            urls = []
            keys = []
            return
        }
        var paths = ["/", "/news", "/news/" + after.slug]
        if let old = before?.slug, old != after.slug { paths.append("/news/" + old) }
        urls = paths
        keys =
            ["article-\(after.id ?? 0)", "feed"] + rubricIDs.map { "rubric-\($0)" } + tagIDs.map { "tag-\($0)" }
            + authorIDs.map { "author-\($0)" }
    }
}
