import Foundation
import Logging
import NewsData
import ServiceLifecycle
import Synchronization

/// Stores the views the server counted (``ViewCounter``) every minute, and reads the most-read list afresh every
/// few minutes: when it changed, the cached pages that show it are evicted. At shutdown the last counts are
/// stored too.
struct MostReadService: Service {
    let web: WebEnvironment
    var interval: Duration = .seconds(60)
    /// How often the list is read afresh.
    var refreshInterval: TimeInterval = 300

    func run() async throws {
        let lastRefresh = Mutex<Date?>(nil)
        await repeatUntilShutdown(every: interval, atStart: false) {
            await store()
            let now = web.settings.clock()
            let due = lastRefresh.withLock { last in
                guard last.map({ now.timeIntervalSince($0) < refreshInterval }) != true else { return false }
                last = now
                return true
            }
            if due { await refresh() }
        }
        await store()
    }

    /// Adds the counted views to the stored ones; what cannot be stored now is kept for the next pass.
    func store() async {
        let (counts, refused) = web.views.drain()
        if refused > 0 {
            web.logger.notice(
                "Views left uncounted: too many addresses in one minute", metadata: ["views": "\(refused)"])
        }
        do {
            try await ArticleViews(database: web.database).add(counts)
        } catch {
            web.views.restore(counts)
            web.logger.error("Storing page views failed", metadata: ["error": "\(error)"])
        }
    }

    /// Reads the most-read list again; evicts the pages that show it when it changed.
    func refresh() async {
        do {
            if try await web.mostRead.refresh(now: web.settings.clock()) {
                web.pageCache?.evict(keys: [MostRead.key])
            }
        } catch {
            web.logger.error("Reading the most-read list failed", metadata: ["error": "\(error)"])
        }
    }
}
