import NewsCore
import NewsData
import SQLKit
import Synchronization

/// The keys that open the API, kept in memory by the hash of their secret, so that checking a key costs a hash
/// and a lookup, not a query. A key made or revoked in the newsroom is an event that empties it: a revoked key is
/// refused from the next request on.
final class APIKeyRegistry: Sendable {
    let keys = Reloadable<[String: APIKey]>()
    /// When the keys were last read because a secret was not among them.
    private let lastMissReload = Mutex<ContinuousClock.Instant?>(nil)

    /// The active key whose secret is `secret`, or nil. A secret not among the kept keys reads them again, at most
    /// once a second: a key made by another process (`shpalta key add`) works before its event reaches this one,
    /// and a flood of wrong keys costs one query a second.
    func key(secret: some StringProtocol, database: Database) async throws -> APIKey? {
        let hash = APIKeyRepository.hash(secret)
        let load = { try await APIKeyRepository(database: database).active() }
        if let found = try await keys.get(load)[hash] { return found }
        let now = ContinuousClock.now
        let due = lastMissReload.withLock { last in
            guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return nil }
        keys.invalidate()
        return try await keys.get(load)[hash]
    }
}

/// Empties the key registry when a key is made or revoked.
struct APIKeyRegistrySubscriber: ChangeSubscriber {
    let registry: APIKeyRegistry
    let name = "api-keys"
    let isNodeLocal = true

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        if events.contains(where: { $0.action == .apiKeyCreated || $0.action == .apiKeyRevoked }) {
            registry.keys.invalidate()
        }
    }
}
