import ServiceLifecycle
import Synchronization

/// Runs `work` every `interval` until the server shuts down gracefully; first at once when `atStart` is set.
/// The loop of the server's periodic services (housekeeping, change dispatch, cache statistics). A shutdown ends
/// the loop as a normal return, not as an error: a service that threw would make the whole server's exit fail.
func repeatUntilShutdown(
    every interval: Duration, atStart: Bool, _ work: @escaping @Sendable () async -> Void
) async {
    if atStart { await work() }
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await work()
        }
    }
}

/// A yes-or-no set by one task and read by another (the notifications' connection listens; a service has stopped).
final class AtomicFlag: Sendable {
    let value = Atomic<Bool>(false)
}
