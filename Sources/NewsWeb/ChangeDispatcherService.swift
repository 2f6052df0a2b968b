import Foundation
import Logging
import NewsData
import ServiceLifecycle
import Synchronization

/// Runs the change dispatcher inside the server, so that a change made by this process or by another one (another
/// node, `shpalta import` while the server runs) reaches the subscribers within a second.
///
/// On PostgreSQL every transaction that records change events notifies the others (LISTEN/NOTIFY): a pass starts as
/// soon as one commits, and the outbox is also read every `listeningInterval`, in case a notification is lost with
/// its connection. On SQLite, and while the notifications' connection is down, the outbox is read every `interval`.
struct ChangeDispatcherService: Service {
    let dispatcher: ChangeDispatcher
    let logger: Logger
    var interval: Duration = .milliseconds(250)
    var listeningInterval: Duration = .seconds(1)

    func run() async throws {
        let database = dispatcher.database
        let wake = WakeSignal()
        let listening = AtomicFlag()
        // The notifications are followed by a task of their own, which a stop cancels and then waits for 5 seconds at
        // most: PostgresNIO's connection can miss a cancellation that comes while it connects or starts listening
        // (seen after the database had gone away and come back), and a stop must not hang on it.
        let follower =
            database.notifiesChanges
            ? Task {
                await database.followChanges(
                    listening: { listening.value.store($0, ordering: .relaxed) }, notified: { wake.raise() })
            } : nil
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await dispatcher.drain()
                } catch is CancellationError {
                    // Shutting down: the events not yet dispatched are dispatched after the restart.
                } catch {
                    logger.error("Dispatching change events failed", metadata: ["error": "\(error)"])
                }
                await wake.wait(upTo: listening.value.load(ordering: .relaxed) ? listeningInterval : interval)
            }
        }
        if let follower {
            follower.cancel()
            if await Deadline.run(within: .seconds(5), { await follower.value }) == nil {
                logger.warning("The change notifications' connection did not close within 5 s of the stop; left behind")
            }
        }
    }
}
