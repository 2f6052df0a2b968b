import Foundation
import NewsCore
import NewsData

/// Everything the web application needs to know about its site, resolved from flags, the environment
/// and `.env` by the `shpalta` command.
public struct AppSettings: Sendable {
    public var host: String
    public var port: Int
    /// The paper's name (a `site.name` setting stored in the database takes precedence).
    public var siteName: String
    /// The public address of the site, used for canonical links ("https://example.com").
    public var baseURL: String
    public var timeZone: TimeZone
    /// The theme folder (templates/, static/, locales/); files missing from it come from the default theme.
    public var themeDirectory: String
    /// The folder of the default theme.
    public var defaultThemeDirectory: String
    /// Where uploaded and imported photos are kept.
    public var mediaDirectory: String
    /// "uk" (default) or "en".
    public var language: String
    /// Items per feed page.
    public var pageSize: Int
    /// The current time; tests pin it.
    public var clock: @Sendable () -> Date
    /// bcrypt cost for new password hashes (tests lower it).
    public var bcryptCost: UInt8 = 12
    /// The threads that check quoted phrases in search candidates.
    public var phraseVerifier: WorkPool = SearchRepository.phraseVerifier
    /// The threads that hash and verify passwords.
    public var passwordHashing: WorkPool = UserRepository.passwordHashing
    /// The most bytes of rendered public pages kept in memory (`SHPALTA_PAGE_CACHE_MB`); 0 turns the cache off.
    public var pageCacheBytes = 128 * 1_048_576
    /// Photo uploads running at once; more are refused as busy (each holds an open file and a request body).
    public var maxConcurrentUploads = 4
    /// The pause before a failed webhook delivery's second attempt; each later pause is three times the last, up to
    /// two hours, for a day (``WebhookDelivery/pause(afterAttempts:first:)``).
    public var webhookRetryPause: TimeInterval = 10
    /// How long a webhook's receiver may take to answer.
    public var webhookTimeout: TimeInterval = 10
    /// How long `/readyz` waits for the database before answering 503.
    public var readinessTimeout: Duration = .seconds(2)
    /// Requests a minute each API key may make (``RateLimiter``).
    public var apiRequestsPerMinute = 600
    /// The largest photo an upload may be.
    public var mediaMaxBytes = 25 * 1_048_576
    /// Whether the server makes new photos' renditions in the background (``RenditionService``); test servers that
    /// do not look at renditions leave it off, so as not to spend their CPU on them.
    public var makesRenditions = true
    /// Whether the server gives the allocator's free memory back to the system every half minute (``MemoryTrim``):
    /// `serve` does; a test's servers, many in one process, leave the process's allocator alone.
    public var trimsMemory = false
    /// How many failed sign-ins are allowed, and for how long they count.
    public var loginLimits = LoginThrottle.Limits()
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed (exact addresses or CIDR blocks);
    /// from any other peer the header is ignored.
    public var trustedProxies: [String] = []
    /// This server's name among the nodes that share one database (`SHPALTA_NODE_ID`, by default host name and
    /// port): each node follows the change events for its own caches under it. `nil` for a lone process.
    public var nodeID: String?
    /// The addresses and CIDR blocks allowed to read `/metrics` (`SHPALTA_METRICS_ALLOW`).
    public var metricsAllowed: [String] = ["127.0.0.1", "::1"]
    /// A newsroom session unused this long ends.
    public var sessionIdleTimeout: TimeInterval = 4 * 3600
    /// How long audit entries are kept.
    public var auditRetention: TimeInterval = 365 * 24 * 3600
    /// Limits on connections, so that slow or idle clients cannot hold the server.
    public var connections = ConnectionLimits()

    /// Creates settings; every value has a sensible default for a laptop.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, siteName: String = "Шпальта", baseURL: String? = nil,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Kyiv") ?? .current, themeDirectory: String = "Themes/default",
        defaultThemeDirectory: String = "Themes/default", mediaDirectory: String = "data/media",
        language: String = "uk", pageSize: Int = 20, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.host = host
        self.port = port
        self.siteName = siteName
        self.baseURL = (baseURL ?? "http://\(host):\(port)").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.timeZone = timeZone
        self.themeDirectory = themeDirectory
        self.defaultThemeDirectory = defaultThemeDirectory
        self.mediaDirectory = mediaDirectory
        self.language = language
        self.pageSize = pageSize
        self.clock = clock
    }
}
