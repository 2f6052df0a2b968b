import NewsCore
import NewsData
import SQLKit

/// Evicts the cached pages (and API responses) that name a change's surrogate keys; a change shown on every page
/// empties the caches.
struct PageCacheSubscriber: ChangeSubscriber {
    let caches: [PageCache]
    let name = "page-cache"
    let isNodeLocal = true

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        for event in events where !event.keys.isEmpty {
            for cache in caches {
                if event.keys.contains(ChangeEvent.everyPage) {
                    cache.removeAll()
                } else {
                    cache.evict(keys: event.keys)
                }
            }
        }
    }
}
