import NewsCore
import NewsData
import SQLKit

/// The keys that open the API, kept in memory by the hash of their secret, so that checking a key costs a hash
/// and a lookup, not a query. A key made or revoked in the newsroom is an event that empties it: a revoked key is
/// refused from the next request on.
struct APIKeyRegistry: Sendable {
    let keys = Reloadable<[String: APIKey]>()

    /// The active key whose secret is `secret`, or nil.
    func key(secret: some StringProtocol, database: Database) async throws -> APIKey? {
        let all = try await keys.get { try await APIKeyRepository(database: database).active() }
        return all[APIKeyRepository.hash(secret)]
    }
}

/// Empties the key registry when a key is made or revoked.
struct APIKeyRegistrySubscriber: ChangeSubscriber {
    let registry: APIKeyRegistry
    let name = "api-keys"

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        if events.contains(where: { $0.action == .apiKeyCreated || $0.action == .apiKeyRevoked }) {
            registry.keys.invalidate()
        }
    }
}
