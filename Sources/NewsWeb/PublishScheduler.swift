import Foundation
import Logging
import NewsData
import ServiceLifecycle

/// Publishes scheduled stories on time, inside the server, whether or not anyone visits. It checks every
/// second (one indexed query), so a story goes live within a second or two of its minute; at start it
/// first publishes everything that fell due while the server was down, and logs each one. Several nodes
/// may run it at once: each due story is claimed by exactly one update.
public struct PublishScheduler: Service {
    let newsroom: Newsroom
    let clock: @Sendable () -> Date
    let logger: Logger
    let interval: Duration
    /// Handed what was published at once, so the pages show it on the next request.
    let dispatcher: ChangeDispatcher?

    /// Creates the scheduler.
    public init(
        database: Database, clock: @escaping @Sendable () -> Date, logger: Logger, interval: Duration = .seconds(1),
        dispatcher: ChangeDispatcher? = nil
    ) {
        self.newsroom = Newsroom(database: database)
        self.clock = clock
        self.logger = logger
        self.interval = interval
        self.dispatcher = dispatcher
    }

    public func run() async throws {
        await publishDue(atStart: true)
        await repeatUntilShutdown(every: interval, atStart: false) { await publishDue(atStart: false) }
    }

    /// One pass: publishes what is due and logs it.
    public func publishDue(atStart: Bool) async {
        do {
            let ids = try await newsroom.publishDue(now: clock())
            if !ids.isEmpty { try await dispatcher?.drain() }
            for id in ids {
                logger.info(
                    atStart
                        ? "Published a story that fell due while the server was down" : "Published a scheduled story",
                    metadata: ["article": "\(id)"])
            }
        } catch is CancellationError {
            // Shutting down: the next start takes the work up again.
        } catch {
            logger.error("Scheduled publishing failed", metadata: ["error": "\(error)"])
        }
    }
}
