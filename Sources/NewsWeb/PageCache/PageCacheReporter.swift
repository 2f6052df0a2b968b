import Logging
import ServiceLifecycle

/// Logs the page cache's hits and misses once a minute (when there were any).
struct PageCacheReporter: Service {
    let cache: PageCache
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        await repeatUntilShutdown(every: interval, atStart: false) {
            let statistics = cache.takeStatistics()
            guard statistics.hits + statistics.misses > 0 else { return }
            logger.info(
                "Page cache",
                metadata: [
                    "hits": "\(statistics.hits)", "pipelineHits": "\(statistics.pipelineHits)",
                    "misses": "\(statistics.misses)", "renders": "\(statistics.renders)",
                    "evictions": "\(statistics.evictions)", "pages": "\(statistics.pages)",
                    "bytes": "\(statistics.bytes)",
                ])
        }
    }
}
