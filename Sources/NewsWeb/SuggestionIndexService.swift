import Foundation
import Logging
import NewsData
import ServiceLifecycle

/// Reads what the search box suggests into memory once the server has started (``SuggestionIndex``), so that the
/// first reader to type is not the one who waits for it; until then suggestions ask the database. The change events
/// keep it current afterwards. A reading that fails is tried again every half minute.
struct SuggestionIndexService: Service {
    let web: WebEnvironment
    var retryInterval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            do {
                // Stopped with the server: nothing reads a database that is closing.
                try await cancelWhenGracefulShutdown { try await web.suggestionIndex.load(from: web.database) }
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let size = web.suggestionIndex.size
                web.logger.info(
                    "Suggestions read into memory",
                    metadata: [
                        "stories": "\(size.stories)", "terms": "\(size.terms)", "postings": "\(size.postings)",
                        "seconds": "\(String(format: "%.2f", seconds))",
                    ])
                break
            } catch {
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
                // Suggestions go on asking the database meanwhile.
                web.logger.error("Reading the suggestions into memory failed", metadata: ["error": "\(error)"])
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: retryInterval) }
                } catch {
                    return
                }
            }
        }
        try? await gracefulShutdown()
    }
}
