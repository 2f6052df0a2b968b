import Foundation
import Logging
import NewsData
import ServiceLifecycle

/// Keeps the security tables small, at start and then every hour: audit entries older than the retention,
/// sessions that expired or went unused too long, and sign-in counters whose window has passed. Also fills the
/// library's search text of photos stored before it existed.
struct Housekeeping: Service {
    let web: WebEnvironment
    var interval: Duration = .seconds(3600)

    func run() async throws {
        await repeatUntilShutdown(every: interval, atStart: true) { await sweep() }
    }

    /// One pass over every table.
    func sweep() async {
        let now = web.settings.clock()
        do {
            try await web.audit.prune(now: now)
            try await web.sessions.prune(now: now)
            try await web.throttle.prune(now: now)
            try await IdempotencyKeys(database: web.database).prune(now: Date())
            // Page views are kept two days: the most-read list looks back one.
            try await ArticleViews(database: web.database).prune(before: now.addingTimeInterval(-2 * MostRead.window))
            // Photos stored before the library's search existed (each pass fills some, so this ends).
            while try await web.media.fillSearchText() > 0 {}
        } catch is CancellationError {
            // Shutting down: the next start takes the work up again.
        } catch {
            web.logger.error("Housekeeping failed", metadata: ["error": "\(error)"])
        }
    }
}
