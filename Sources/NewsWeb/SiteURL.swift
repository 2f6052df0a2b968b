import Hummingbird
import NewsCore

/// Every public address of the site, in one place: routes are registered from these patterns and links
/// are built from these cases, so no handler writes a URL by hand.
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
    }
}
