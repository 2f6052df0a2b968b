import Logging
import NewsData
import ServiceLifecycle
import Synchronization

/// What `shpalta serve` does before the server accepts connections, on a database the server owns: migrations,
/// the demo, the first search index. `announce` runs once the server listens (scripts wait for its line).
public struct Startup: Sendable {
    public var prepare: @Sendable () async throws -> Void
    public var announce: @Sendable () async -> Void

    /// Creates the start-up steps.
    public init(prepare: @escaping @Sendable () async throws -> Void, announce: @escaping @Sendable () async -> Void) {
        self.prepare = prepare
        self.announce = announce
    }
}

/// The database as a service of the server: it is registered first, so on shutdown it is stopped last, after
/// the HTTP server and every service that queries it, and then closed exactly once.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}

/// Opened when start-up has prepared the database; the services that query it wait for it.
final class StartupGate: Sendable {
    private let opened = Atomic<Bool>(false)

    func open() { opened.store(true, ordering: .releasing) }

    /// Returns once the gate is open; throws when the server stops first.
    func wait() async throws {
        while !opened.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(20)) }
    }
}

/// A service that starts only once start-up is done (it queries tables the migrations create).
struct AfterStartup<Inner: Service>: Service {
    let gate: StartupGate
    let inner: Inner

    func run() async throws {
        do {
            try await gate.wait()
        } catch is CancellationError {
            return
        }
        try await inner.run()
    }
}
