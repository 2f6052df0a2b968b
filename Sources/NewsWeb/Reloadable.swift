import NewsCore
import NewsData
import SQLKit
import Synchronization

/// A value read from the database and kept in memory until a change event says it changed: the site's name, menu
/// and call to action (``SiteInfoCache``), the API's keys. A change empties it before the write is acknowledged
/// (or, for another process's change, within the dispatcher's quarter second).
final class Reloadable<Value: Sendable>: Sendable {
    private struct State: Sendable {
        var value: Value?
        /// Bumped by every change, so a load that overlapped one is not kept.
        var generation = 0
    }

    private let state = Mutex(State())

    /// The kept value, or the one `load` reads (kept unless a change came meanwhile).
    func get(_ load: () async throws -> Value) async throws -> Value {
        let (cached, generation) = state.withLock { ($0.value, $0.generation) }
        if let cached { return cached }
        let loaded = try await load()
        state.withLock { if $0.generation == generation { $0.value = loaded } }
        return loaded
    }

    /// The kept value, if any, without reading one.
    func peek() -> Value? { state.withLock { $0.value } }

    /// Keeps `value`, read afresh by its owner; returns the one it replaces.
    @discardableResult
    func store(_ value: Value) -> Value? {
        state.withLock {
            let old = $0.value
            $0.value = value
            $0.generation += 1
            return old
        }
    }

    /// Forgets the value: the next use reads it again.
    func invalidate() {
        state.withLock {
            $0.value = nil
            $0.generation += 1
        }
    }
}

/// The site's name, menu and call to action: every page shows them, and they change only when an administrator
/// saves rubrics or settings, an event for every page (``ChangeEvent/everyPage``).
typealias SiteInfoCache = Reloadable<SiteInfo>

/// Empties a ``Reloadable`` value on a change that names any of `keys`: the site cache on a change that shows on
/// every page, the latest-news column (``LatestColumn``) on one that shows in the feed too.
struct ReloadableSubscriber<Value: Sendable>: ChangeSubscriber {
    let name: String
    let cache: Reloadable<Value>
    let keys: Set<String>
    let isNodeLocal = true

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        if events.contains(where: { !keys.isDisjoint(with: $0.keys) }) { cache.invalidate() }
    }
}
