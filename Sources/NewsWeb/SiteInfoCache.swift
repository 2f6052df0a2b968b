import NewsCore
import NewsData
import SQLKit
import Synchronization

/// The site's name, menu and call to action, kept in memory: every page shows them, and they change only when an
/// administrator saves rubrics or settings. Such a change is an event for every page (``ChangeEvent/everyPage``),
/// which empties this cache before the save is acknowledged (or, for another process's change, within the
/// dispatcher's quarter second).
final class SiteInfoCache: Sendable {
    private struct State {
        var info: SiteInfo?
        /// Bumped by every change, so a load that overlapped one is not kept.
        var generation = 0
    }

    private let state = Mutex(State())

    /// The cached site, or the one `load` reads (kept unless a change came meanwhile).
    func get(_ load: () async throws -> SiteInfo) async throws -> SiteInfo {
        let (cached, generation) = state.withLock { ($0.info, $0.generation) }
        if let cached { return cached }
        let loaded = try await load()
        state.withLock { if $0.generation == generation { $0.info = loaded } }
        return loaded
    }

    /// Forgets the site: the next page reads it again.
    func invalidate() {
        state.withLock {
            $0.info = nil
            $0.generation += 1
        }
    }
}

/// Empties the site cache on a change that shows on every page.
struct SiteInfoSubscriber: ChangeSubscriber {
    let cache: SiteInfoCache
    let name = "site-info"

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        if events.contains(where: { $0.keys.contains(ChangeEvent.everyPage) }) { cache.invalidate() }
    }
}
