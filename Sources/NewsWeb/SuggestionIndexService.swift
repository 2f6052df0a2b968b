import Foundation
import Logging
import NewsData
import ServiceLifecycle

/// Reads what the search box suggests into memory once the server has started (``SuggestionIndex``), so that the
/// first reader to type is not the one who waits for it, and again whenever it is not ready: after a reading that
/// failed, or after a whole site was restored emptied it. Until then suggestions ask the database; the change events
/// keep the index current once read.
struct SuggestionIndexService: Service {
    let web: WebEnvironment
    /// How often it checks that the index is ready.
    var checkInterval: Duration = .seconds(5)
    /// How long it waits after a reading that failed.
    var retryInterval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            var wait = checkInterval
            if !web.suggestionIndex.isReady {
                let started = ContinuousClock.now
                do {
                    // Stopped with the server: nothing reads a database that is closing.
                    try await cancelWhenGracefulShutdown { try await web.suggestionIndex.load(from: web.database) }
                    if web.suggestionIndex.isReady { logRead(since: started) }
                } catch {
                    guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
                    // Suggestions go on asking the database meanwhile.
                    web.logger.error("Reading the suggestions into memory failed", metadata: ["error": "\(error)"])
                    wait = retryInterval
                }
            }
            do {
                try await cancelWhenGracefulShutdown { [wait] in try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }

    private func logRead(since started: ContinuousClock.Instant) {
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let size = web.suggestionIndex.size
        web.logger.info(
            "Suggestions read into memory",
            metadata: [
                "stories": "\(size.stories)", "terms": "\(size.terms)", "postings": "\(size.postings)",
                "seconds": "\(String(format: "%.2f", seconds))",
            ])
    }
}
