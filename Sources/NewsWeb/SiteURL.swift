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
    /// What the search box suggests while the reader types (an HTML fragment).
    case searchSuggestions
    /// RSS 2.0 of all the news, and of one rubric, tag or author.
    case rss
    case rubricRSS(slug: String)
    case tagRSS(slug: String)
    case authorRSS(slug: String)
    /// The sitemap index, its parts, and the Google News sitemap.
    case sitemapIndex
    case sitemap(SitemapPart)
    case sitemapNews
    case robots
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
    case adminMediaItem(id: Int64)
    case adminAuthorList
    case adminArticleLookup
    case adminAPIKeys
    case adminAPIKeyRevoke(id: Int64)
    case adminTokens
    case adminTokenRevoke(id: Int64)
    case adminWebhooks
    case adminWebhook(id: Int64)
    case adminWebhookRemove(id: Int64)
    case adminWebhookRedeliver(id: Int64, delivery: Int64)
    /// The API's OpenAPI document and its page; the API's own paths come from that document.
    case apiDocument
    case apiDocs
    /// The Admin API's photo uploads (their metadata in a long query).
    case apiMedia

    /// The parts the sitemap index lists, each at `/sitemaps/<file>`.
    public enum SitemapPart: Sendable, Equatable {
        /// Published stories, 50,000 to a file, oldest first: part 1 holds the first 50,000.
        case articles(Int)
        /// Google News: `/sitemap-news.xml` holds the newest 1,000 stories of the last 48 hours; should there be
        /// more, part 2 the next 1,000, and so on.
        case news(Int)
        case rubrics, tags, authors

        public var file: String {
            switch self {
            case .articles(let number): "articles-\(number).xml"
            case .news(let number): "news-\(number).xml"
            case .rubrics: "rubrics.xml"
            case .tags: "tags.xml"
            case .authors: "authors.xml"
            }
        }

        /// The part named `file`; `nil` for any other name.
        public init?(file: String) {
            switch file {
            case "rubrics.xml": self = .rubrics
            case "tags.xml": self = .tags
            case "authors.xml": self = .authors
            default:
                for (prefix, make) in [("articles-", Self.articles), ("news-", Self.news)] {
                    guard file.hasPrefix(prefix), file.hasSuffix(".xml") else { continue }
                    let digits = file.dropFirst(prefix.count).dropLast(".xml".count)
                    // Only the spelling this enum writes ("articles-2.xml", not "articles-02.xml").
                    guard let number = Int(digits), number >= 1, String(number) == digits else { return nil }
                    self = make(number)
                    return
                }
                return nil
            }
        }
    }

    /// What the editor does to one story, each at `/admin/articles/ID/<action>`.
    public enum ArticleAction: String, Sendable, CaseIterable {
        case autosave, lock, heartbeat, unlock, transition, preview, revisions, corrections
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
        case .searchSuggestions: "/search/suggest"
        case .rss: "/rss.xml"
        case .rubricRSS(let slug): "/rubric/\(slug)/rss.xml"
        case .tagRSS(let slug): "/tag/\(slug)/rss.xml"
        case .authorRSS(let slug): "/author/\(slug)/rss.xml"
        case .sitemapIndex: "/sitemap.xml"
        case .sitemap(let part): "/sitemaps/\(part.file)"
        case .sitemapNews: "/sitemap-news.xml"
        case .robots: "/robots.txt"
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
        case .adminMediaItem(let id): "/admin/media/\(id)"
        case .adminAuthorList: "/admin/authors.json"
        case .adminArticleLookup: "/admin/articles.json"
        case .adminAPIKeys: "/admin/api-keys"
        case .adminAPIKeyRevoke(let id): "/admin/api-keys/\(id)/revoke"
        case .adminTokens: "/admin/tokens"
        case .adminTokenRevoke(let id): "/admin/tokens/\(id)/revoke"
        case .adminWebhooks: "/admin/webhooks"
        case .adminWebhook(let id): "/admin/webhooks/\(id)"
        case .adminWebhookRemove(let id): "/admin/webhooks/\(id)/remove"
        case .adminWebhookRedeliver(let id, let delivery): "/admin/webhooks/\(id)/deliveries/\(delivery)/redeliver"
        case .apiDocument: "/api/v1/openapi.json"
        case .apiDocs: "/api/v1/docs"
        case .apiMedia: "/api/v1/admin/media"
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
        static let searchSuggestions: RouterPath = "/search/suggest"
        static let rss: RouterPath = "/rss.xml"
        static let rubricRSS: RouterPath = "/rubric/:slug/rss.xml"
        static let tagRSS: RouterPath = "/tag/:slug/rss.xml"
        static let authorRSS: RouterPath = "/author/:slug/rss.xml"
        static let sitemapIndex: RouterPath = "/sitemap.xml"
        static let sitemap: RouterPath = "/sitemaps/:file"
        static let sitemapNews: RouterPath = "/sitemap-news.xml"
        static let robots: RouterPath = "/robots.txt"
        static let healthz: RouterPath = "/healthz"
        static let readyz: RouterPath = "/readyz"
        static let metrics: RouterPath = "/metrics"
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
        static let adminMediaItem: RouterPath = "/admin/media/:id"
        static let adminAuthorList: RouterPath = "/admin/authors.json"
        static let adminArticleLookup: RouterPath = "/admin/articles.json"
        static let adminAPIKeys: RouterPath = "/admin/api-keys"
        static let adminAPIKeyRevoke: RouterPath = "/admin/api-keys/:id/revoke"
        static let adminTokens: RouterPath = "/admin/tokens"
        static let adminTokenRevoke: RouterPath = "/admin/tokens/:id/revoke"
        static let adminWebhooks: RouterPath = "/admin/webhooks"
        static let adminWebhook: RouterPath = "/admin/webhooks/:id"
        static let adminWebhookRemove: RouterPath = "/admin/webhooks/:id/remove"
        static let adminWebhookRedeliver: RouterPath = "/admin/webhooks/:id/deliveries/:delivery/redeliver"
        static let apiDocument: RouterPath = "/api/v1/openapi.json"
        static let apiDocs: RouterPath = "/api/v1/docs"
    }
}
