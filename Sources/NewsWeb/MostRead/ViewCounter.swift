import Foundation
import NewsData
import Synchronization

/// Counts readers' views of stories in memory, for "Найпопулярніше": the server's own count, without a cookie,
/// an outside script or anything stored about the reader.
///
/// - Only browsers count: a request whose `User-Agent` is missing, is not a browser's, or names a robot, a
///   crawler, a link preview or a command-line tool is left out.
/// - One address counts once a minute for a story, however many times it asks: the pairs seen in the current
///   minute are kept as hashes (seeded afresh by every process), in memory only, and forgotten when the minute
///   ends. When more pairs than ``maxPairs`` arrive in one minute (a flood), the rest of that minute is not
///   counted, so memory stays bounded.
/// - Counting takes a lock for a few dictionary operations and never waits for the database: the counts are
///   taken by ``drain()`` and stored in the background (``MostReadService``).
final class ViewCounter: Sendable {
    private struct State {
        var minute: Int64 = 0
        var seen = Set<Int>()
        var pending: [Key: Int] = [:]
        /// Views left out because a minute's pairs were too many.
        var refused = 0
    }

    private struct Key: Hashable {
        var article: Int64
        var hour: Int64
    }

    /// The most (address, story) pairs counted in one minute.
    static let maxPairs = 100_000

    private let state = Mutex(State())
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    /// Counts one view of `article` from `address` by a client calling itself `userAgent`, unless it is a robot's
    /// or the address already viewed it this minute. The address is worked out only for a reader's view.
    func record(article: Int64, address: @autoclosure () -> String, userAgent: String?) {
        guard Self.isReader(userAgent) else { return }
        let address = address()
        let now = clock()
        let minute = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
        var hasher = Hasher()
        hasher.combine(address)
        hasher.combine(article)
        let pair = hasher.finalize()
        let hour = ViewCount.hour(of: now)
        state.withLock { state in
            if state.minute != minute {
                state.minute = minute
                state.seen.removeAll(keepingCapacity: state.seen.count < 4096)
            }
            guard state.seen.count < Self.maxPairs else {
                state.refused += 1
                return
            }
            guard state.seen.insert(pair).inserted else { return }
            state.pending[Key(article: article, hour: hour), default: 0] += 1
        }
    }

    /// The counts since the last drain (and how many views a flood made it leave out), emptied.
    func drain() -> (counts: [ViewCount], refused: Int) {
        state.withLock { state in
            let counts = state.pending.map { ViewCount(articleID: $0.key.article, hour: $0.key.hour, views: $0.value) }
            let refused = state.refused
            state.pending.removeAll()
            state.refused = 0
            return (counts, refused)
        }
    }

    /// Puts back counts a failed store could not keep, to be stored with the next ones.
    func restore(_ counts: [ViewCount]) {
        state.withLock { state in
            for count in counts {
                state.pending[Key(article: count.articleID, hour: count.hour), default: 0] += count.views
            }
        }
    }

    /// Whether `userAgent` is a reader's browser: it says "Mozilla/" (as every browser does) and names no robot,
    /// crawler, link preview, monitor, headless browser or HTTP library.
    static func isReader(_ userAgent: String?) -> Bool {
        guard let userAgent, userAgent.utf8.count <= 512, userAgent.hasPrefix("Mozilla/") else { return false }
        let lowered = userAgent.lowercased()
        return !robotMarks.contains { lowered.contains($0) }
    }

    /// Words in the user agents of programs that are not readers.
    static let robotMarks = [
        "bot", "crawl", "spider", "slurp", "archiver", "preview", "facebookexternalhit", "headless", "lighthouse",
        "pagespeed", "monitor", "pingdom", "uptime", "curl", "wget", "python", "java/", "okhttp", "httpclient",
        "go-http", "node-fetch", "axios", "scrapy", "phantomjs", "selenium", "feed", "validator", "checker",
        "embedly", "whatsapp", "telegram", "viber", "skype",
    ]

    /// The story whose page a response to `path` with surrogate keys `keys` (space-separated, the page's own
    /// first) is: only an article page (`/news/slug`) counts.
    static func viewedArticle(path: some StringProtocol, keys: some StringProtocol) -> Int64? {
        guard path.hasPrefix("/news/"), keys.hasPrefix("article-") else { return nil }
        let digits = keys.dropFirst("article-".count).prefix { $0 != " " }
        return Int64(digits)
    }
}
