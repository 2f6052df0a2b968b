import Foundation
import Logging
import NewsData
import ServiceLifecycle

/// Runs the change dispatcher inside the server: a pass every `interval`, so that a change made by this process
/// or by another one (`shpalta import` while the server runs) reaches the subscribers within a second.
struct ChangeDispatcherService: Service {
    let dispatcher: ChangeDispatcher
    let logger: Logger
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        await repeatUntilShutdown(every: interval, atStart: true) {
            do {
                try await dispatcher.drain()
            } catch is CancellationError {
                // Shutting down: the events not yet dispatched are dispatched after the restart.
            } catch {
                logger.error("Dispatching change events failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
