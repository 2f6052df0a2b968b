import ServiceLifecycle

/// Runs `work` every `interval` until the server shuts down gracefully; first at once when `atStart` is set.
/// The loop of the server's periodic services (housekeeping, change dispatch, cache statistics).
func repeatUntilShutdown(
    every interval: Duration, atStart: Bool, _ work: @escaping @Sendable () async -> Void
) async throws {
    if atStart { await work() }
    try await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            await work()
        }
    }
}
