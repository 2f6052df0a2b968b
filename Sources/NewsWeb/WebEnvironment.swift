import Foundation
import Logging
import NewsCore
import NewsData

/// What the web application's controllers share: settings, the theme, the database and its
/// repositories, the media store.
public struct WebEnvironment: Sendable {
    public let settings: AppSettings
    public let theme: Theme
    public let database: Database
    public let mediaStore: any MediaStore
    let logger: Logger
    /// The places for uploads in progress (``AppSettings/maxConcurrentUploads``).
    let uploads: ConcurrencyLimit
    /// Rendered public pages, unless turned off.
    public let pageCache: PageCache?
    /// The Content API's responses, unless the page cache is turned off (a fifth of its bytes, kept apart from the
    /// pages: an API response is never answered without its key's check).
    let apiCache: PageCache?
    /// The site's name, menu and call to action.
    let siteInfo = SiteInfoCache()
    /// The column of the latest news, rendered.
    let latestColumn = LatestColumnCache()
    /// The API's OpenAPI document (for its JSON, its page and its paths' methods).
    let apiDocument: APIDocument
    /// The keys that open the API.
    let apiKeys = APIKeyRegistry()
    /// Each API key's requests a minute.
    let apiLimiter: RateLimiter
    /// Readers' views of stories, counted in memory until ``MostReadService`` stores them.
    let views: ViewCounter
    /// The stories most read in the last 24 hours.
    let mostRead: MostRead
    /// The published headlines' words and the topics, for the search box's suggestions.
    let suggestionIndex = SuggestionIndex()

    var articles: ArticleRepository { ArticleRepository(database: database) }
    var rubrics: RubricRepository { RubricRepository(database: database) }
    var tags: TagRepository { TagRepository(database: database) }
    var authors: AuthorRepository { AuthorRepository(database: database) }
    var media: MediaRepository { MediaRepository(database: database) }
    var users: UserRepository {
        UserRepository(database: database, bcryptCost: settings.bcryptCost, hashing: settings.passwordHashing)
    }
    /// The use cases that write content (stories, rubrics, settings, people, photos).
    var newsroom: Newsroom { Newsroom(database: database, users: users) }
    var sessions: SessionRepository { SessionRepository(database: database, idleTimeout: settings.sessionIdleTimeout) }
    var throttle: LoginThrottle { LoginThrottle(database: database, limits: settings.loginLimits) }
    var apiKeyList: APIKeyRepository { APIKeyRepository(database: database) }
    var search: SearchRepository {
        SearchRepository(database: database, verifier: settings.phraseVerifier, suggestions: suggestionIndex)
    }
    /// Hands change events to their subscribers: the audit log, the site and key caches, CDN purges, webhooks and
    /// the page caches.
    public var changes: ChangeDispatcher {
        ChangeDispatcher(
            database: database,
            subscribers: [
                AuditSubscriber(),
                ReloadableSubscriber(name: "site-info", cache: siteInfo, keys: [ChangeEvent.everyPage]),
                CDNPurgeSubscriber(),
                APIKeyRegistrySubscriber(registry: apiKeys), WebhookSubscriber(base: settings.baseURL),
                MostReadSubscriber(mostRead: mostRead), SuggestionIndexSubscriber(suggestionIndex),
                ReloadableSubscriber(
                    name: "latest-column", cache: latestColumn, keys: ["feed", ChangeEvent.everyPage]),
            ] + (pageCache.map { [PageCacheSubscriber(caches: [$0] + (apiCache.map { [$0] } ?? []))] } ?? []),
            node: settings.nodeID)
    }
    var audit: AuditLog { AuditLog(database: database, retention: settings.auditRetention) }

    /// Creates the environment; loads the theme and opens the media store.
    public init(settings: AppSettings, database: Database, logger: Logger = Logger(label: "shpalta.web")) async throws {
        self.settings = settings
        self.theme = try await Theme(
            directory: settings.themeDirectory, defaultDirectory: settings.defaultThemeDirectory,
            language: settings.language)
        self.database = database
        self.mediaStore = try DirectoryMediaStore(root: settings.mediaDirectory)
        self.uploads = ConcurrencyLimit(settings.maxConcurrentUploads)
        self.pageCache =
            settings.pageCacheBytes > 0 ? PageCache(capacity: settings.pageCacheBytes, clock: settings.clock) : nil
        self.apiCache =
            settings.pageCacheBytes > 0
            ? PageCache(capacity: max(settings.pageCacheBytes / 5, 1_048_576), clock: settings.clock) : nil
        self.apiDocument = try APIDocument.bundled()
        self.apiLimiter = RateLimiter(perMinute: settings.apiRequestsPerMinute, clock: settings.clock)
        self.views = ViewCounter(clock: settings.clock)
        self.mostRead = MostRead(database: database)
        self.logger = logger
    }

    func site() async throws -> SiteInfo {
        try await siteInfo.get { try await SiteInfo.load(database: database, settings: settings) }
    }

    /// Reader-facing dates in the site's zone and language.
    var dates: NewsDateFormatter {
        NewsDateFormatter(timeZone: settings.timeZone, monthsGenitive: theme.localization.monthsGenitive)
    }

    /// A view builder for this request's moment, with the site's name and navigation.
    func view() async throws -> ViewBuilder {
        ViewBuilder(theme: theme, settings: settings, site: try await site(), now: settings.clock())
    }
}
