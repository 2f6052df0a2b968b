import Hummingbird
import NewsCore

/// Every address of the site, the reader's and the newsroom's, in one place: routes are registered from these
/// patterns and links are built from these cases (and handed to templates), so no handler or template writes a
/// URL by hand.
public enum SiteURL: Sendable, Equatable {
    case home
    case news
    case article(slug: String)
    case rubric(slug: String)
    case tag(slug: String)
    case author(slug: String)
    case search
    case media(file: String)
    case asset(file: String)
    case admin
    case adminLogin
    case adminLogout
    case adminAudit
    case adminPeople
    case adminPerson(id: Int64)
    case adminRubrics
    case adminSettings
    case adminNewArticle
    /// Where a new story's form is posted.
    case adminArticles
    case adminArticle(id: Int64)
    case adminArticleAction(id: Int64, ArticleAction)
    case adminRestore(id: Int64, revision: Int64)
    case adminMedia
    case adminMediaList
    case adminAuthorList
    case adminArticleLookup

    /// What the editor does to one story, each at `/admin/articles/ID/<action>`.
    public enum ArticleAction: String, Sendable, CaseIterable {
        case autosave, lock, heartbeat, unlock, transition, preview, revisions
        case takeOver = "take-over"
    }

    /// The path, beginning with "/".
    public var path: String {
        switch self {
        case .home: "/"
        case .news: "/news"
        case .article(let slug): "/news/\(slug)"
        case .rubric(let slug): "/rubric/\(slug)"
        case .tag(let slug): "/tag/\(slug)"
        case .author(let slug): "/author/\(slug)"
        case .search: "/search"
        case .media(let file): "/media/\(file)"
        case .asset(let file): "/static/\(file)"
        case .admin: "/admin"
        case .adminLogin: "/admin/login"
        case .adminLogout: "/admin/logout"
        case .adminAudit: "/admin/audit"
        case .adminPeople: "/admin/people"
        case .adminPerson(let id): "/admin/people/\(id)"
        case .adminRubrics: "/admin/rubrics"
        case .adminSettings: "/admin/settings"
        case .adminNewArticle: "/admin/articles/new"
        case .adminArticles: "/admin/articles"
        case .adminArticle(let id): "/admin/articles/\(id)"
        case .adminArticleAction(let id, let action): "/admin/articles/\(id)/\(action.rawValue)"
        case .adminRestore(let id, let revision): "/admin/articles/\(id)/revisions/\(revision)/restore"
        case .adminMedia: "/admin/media"
        case .adminMediaList: "/admin/media.json"
        case .adminAuthorList: "/admin/authors.json"
        case .adminArticleLookup: "/admin/articles.json"
        }
    }

    /// The path with a feed cursor (`after=`) and, for the in-place "show more", `partial=1`.
    public func path(after cursor: FeedCursor, partial: Bool = false) -> String {
        let base = self == .home ? SiteURL.news.path : path
        return "\(base)?after=\(cursor.token)\(partial ? "&partial=1" : "")"
    }

    /// Route patterns, as Hummingbird's router reads them.
    enum Pattern {
        static let home: RouterPath = "/"
        static let news: RouterPath = "/news"
        static let article: RouterPath = "/news/:slug"
        static let rubric: RouterPath = "/rubric/:slug"
        static let tag: RouterPath = "/tag/:slug"
        static let author: RouterPath = "/author/:slug"
        static let media: RouterPath = "/media/:file"
        static let search: RouterPath = "/search"
        static let asset: RouterPath = "/static/:file"
        static let admin: RouterPath = "/admin"
        static let adminLogin: RouterPath = "/admin/login"
        static let adminLogout: RouterPath = "/admin/logout"
        static let adminAudit: RouterPath = "/admin/audit"
        static let adminPeople: RouterPath = "/admin/people"
        static let adminPerson: RouterPath = "/admin/people/:id"
        static let adminRubrics: RouterPath = "/admin/rubrics"
        static let adminSettings: RouterPath = "/admin/settings"
        static let adminNewArticle: RouterPath = "/admin/articles/new"
        static let adminArticles: RouterPath = "/admin/articles"
        static let adminArticle: RouterPath = "/admin/articles/:id"
        static func adminArticleAction(_ action: ArticleAction) -> RouterPath {
            RouterPath("/admin/articles/:id/\(action.rawValue)")
        }
        static let adminRestore: RouterPath = "/admin/articles/:id/revisions/:revision/restore"
        static let adminMedia: RouterPath = "/admin/media"
        static let adminMediaList: RouterPath = "/admin/media.json"
        static let adminAuthorList: RouterPath = "/admin/authors.json"
        static let adminArticleLookup: RouterPath = "/admin/articles.json"
    }
}
