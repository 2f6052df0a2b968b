import NewsCore
import NewsData
import SQLKit

/// Evicts the cached pages that name a change's surrogate keys; a change shown on every page empties the cache.
struct PageCacheSubscriber: ChangeSubscriber {
    let cache: PageCache
    let name = "page-cache"

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        for event in events where !event.keys.isEmpty {
            if event.keys.contains(ChangeEvent.everyPage) { cache.removeAll() } else { cache.evict(keys: event.keys) }
        }
    }
}
