import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// Rendered public pages in memory, bounded in bytes, evicted by surrogate key when content changes.
///
/// Two segments, as in a segmented LRU: a page enters *probation* and moves to *protected* when it is asked for
/// again. Probation holds at most a fifth of the bytes, so a flood of never-seen URLs (cache-busting query
/// strings) churns only probation and cannot push out the pages readers keep asking for. Many simultaneous misses
/// for one page cause one render: the first request renders, the others wait for its result. A page whose render
/// overlapped an eviction is not stored, so the cache never keeps what a change made stale. A page that changes
/// with time alone (feed dates written "14:05" today and "03.12" tomorrow, the Google News sitemap's 48 hours)
/// carries the moment it expires, and is not served from then on.
public final class PageCache: Sendable {
    /// One stored response.
    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
        let gzip: ByteBuffer?
        let etag: String
        let keys: [String]
        /// When the page stops being true without any change to the content (`nil`: only a change ends it).
        var expires: Date? = nil
        /// The head of its 200 answer to a GET, as bytes on the wire up to the `Date` header's value: plain and
        /// gzipped. The connection's handler writes them as they are (``PageCacheChannelHandler``).
        let wireHead: ByteBuffer
        let gzipWireHead: ByteBuffer?

        init(
            status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer, gzip: ByteBuffer?, etag: String,
            keys: [String], expires: Date? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.gzip = gzip
            self.etag = etag
            self.keys = keys
            self.expires = expires
            wireHead = Self.wireHead(status: status, headers: headers, encoding: nil, length: body.readableBytes)
            gzipWireHead = gzip.map {
                Self.wireHead(status: status, headers: headers, encoding: "gzip", length: $0.readableBytes)
            }
        }

        var size: Int {
            body.readableBytes + (gzip?.readableBytes ?? 0) + wireHead.readableBytes
                + (gzipWireHead?.readableBytes ?? 0) + 512
        }

        /// The status line and the fields of an HTTP/1.1 answer, ending with `Date: ` for the moment's date.
        private static func wireHead(
            status: HTTPResponse.Status, headers: HTTPFields, encoding: String?, length: Int
        ) -> ByteBuffer {
            var head = ByteBuffer()
            head.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
            for field in headers where field.name != .contentLength && field.name != .date && field.name != .server {
                head.writeString("\(field.name.rawName): \(field.value)\r\n")
            }
            if let encoding { head.writeString("Content-Encoding: \(encoding)\r\n") }
            head.writeString("Content-Length: \(length)\r\nServer: Shpalta\r\nDate: ")
            return head
        }
    }

    /// What a lookup found.
    enum Lookup {
        case hit(Page)
        /// Nobody renders it: the caller renders, then calls ``finish(_:page:since:)``.
        case render(since: UInt64)
        /// Someone renders it now: ``wait(for:)``.
        case wait
    }

    /// Counts since the last ``takeStatistics()``.
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        /// Hits answered in the connection's pipeline, before the router (``PageCacheChannelHandler``).
        public var pipelineHits = 0
        public var misses = 0
        public var renders = 0
        public var evictions = 0
        public var bytes = 0
        public var pages = 0

        /// Adds the counts of `other` (not its bytes and pages, which are a moment's, not counts).
        mutating func add(_ other: Statistics) {
            hits += other.hits
            pipelineHits += other.pipelineHits
            misses += other.misses
            renders += other.renders
            evictions += other.evictions
        }
    }

    private enum Segment { case probation, protected }

    private struct Node {
        var page: Page
        var segment: Segment
        var newer: String?
        var older: String?
    }

    private struct List {
        var newest: String?
        var oldest: String?
        var bytes = 0
    }

    private struct State {
        var nodes: [String: Node] = [:]
        var probation = List()
        var protected = List()
        var byKey: [String: Set<String>] = [:]
        var waiting: [String: [CheckedContinuation<Page?, Never>]] = [:]
        var generation: UInt64 = 0
        var statistics = Statistics()
        /// The counts of every earlier ``takeStatistics()`` added up, for ``totals()``.
        var taken = Statistics()
    }

    private let state = Mutex(State())
    /// The most bytes held.
    let capacity: Int
    private var probationCapacity: Int { capacity / 5 }

    /// The time pages expire by (the site's clock).
    private let clock: @Sendable () -> Date

    /// Creates a cache of at most `capacity` bytes; pages expire by `clock`.
    init(capacity: Int, clock: @escaping @Sendable () -> Date = Date.init) {
        self.capacity = capacity
        self.clock = clock
    }

    /// The node of `url` unless its page expired (an expired one is dropped).
    private static func live(_ url: String, in state: inout State, now: @autoclosure () -> Date) -> Node? {
        guard let node = state.nodes[url] else { return nil }
        if let expires = node.page.expires, now() >= expires {
            remove(url, in: &state)
            state.statistics.evictions += 1
            return nil
        }
        return node
    }

    /// The page under `url`, or what to do instead.
    func lookup(_ url: String) -> Lookup {
        state.withLock { state in
            if let node = Self.live(url, in: &state, now: clock()) {
                state.statistics.hits += 1
                Self.touch(url, node: node, in: &state, capacity: capacity, probationCapacity: probationCapacity)
                return .hit(node.page)
            }
            state.statistics.misses += 1
            if state.waiting[url] != nil { return .wait }
            state.waiting[url] = []
            state.statistics.renders += 1
            return .render(since: state.generation)
        }
    }

    /// The page under `url` when it is held (counted as a hit); on a miss nothing is counted or claimed: the
    /// request then goes the long way, through ``lookup(_:)``.
    func peek(_ url: String) -> Page? {
        state.withLock { state in
            guard let node = Self.live(url, in: &state, now: clock()) else { return nil }
            state.statistics.hits += 1
            state.statistics.pipelineHits += 1
            Self.touch(url, node: node, in: &state, capacity: capacity, probationCapacity: probationCapacity)
            return node.page
        }
    }

    /// Waits for the render of `url` in progress; nil when it could not be stored (render it yourself).
    func wait(for url: String) async -> Page? {
        await withCheckedContinuation { continuation in
            let ready: Page?? = state.withLock { state in
                if let node = Self.live(url, in: &state, now: clock()) { return .some(node.page) }
                guard state.waiting[url] != nil else { return .some(nil) }
                state.waiting[url]!.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Ends the render of `url`: stores `page` (unless nil, too large, or an eviction happened since the render
    /// began at generation `since`) and hands it to the requests that waited for it.
    func finish(_ url: String, page: Page?, since: UInt64) {
        let (waiters, stored) = state.withLock { state -> ([CheckedContinuation<Page?, Never>], Page?) in
            let waiters = state.waiting.removeValue(forKey: url) ?? []
            guard let page, state.generation == since, page.size <= probationCapacity else { return (waiters, nil) }
            Self.insert(url, page: page, in: &state, capacity: capacity, probationCapacity: probationCapacity)
            return (waiters, page)
        }
        for waiter in waiters { waiter.resume(returning: stored) }
    }

    /// Removes every page that names one of `keys`; returns how many.
    @discardableResult
    func evict(keys: [String]) -> Int {
        state.withLock { state in
            state.generation &+= 1
            var removed = 0
            for key in keys {
                for url in state.byKey[key] ?? [] where state.nodes[url] != nil {
                    Self.remove(url, in: &state)
                    removed += 1
                }
            }
            state.statistics.evictions += removed
            return removed
        }
    }

    /// Removes everything (a setting or the theme changed).
    func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.statistics.evictions += state.nodes.count
            state.nodes = [:]
            state.byKey = [:]
            state.probation = List()
            state.protected = List()
        }
    }

    /// The counts since the last call, with the bytes and pages held now.
    public func takeStatistics() -> Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.bytes = state.probation.bytes + state.protected.bytes
            statistics.pages = state.nodes.count
            state.taken.add(statistics)
            state.statistics = Statistics()
            return statistics
        }
    }

    /// The counts since the cache was made (for `/metrics`), with the bytes and pages held now.
    public func totals() -> Statistics {
        state.withLock { state in
            var totals = state.taken
            totals.add(state.statistics)
            totals.bytes = state.probation.bytes + state.protected.bytes
            totals.pages = state.nodes.count
            return totals
        }
    }

    /// Bytes held now.
    public var bytes: Int { state.withLock { $0.probation.bytes + $0.protected.bytes } }

    /// Whether `url` is held now.
    public func contains(_ url: String) -> Bool {
        state.withLock { state in Self.live(url, in: &state, now: clock()) != nil }
    }

    // MARK: - Lists

    private static func touch(
        _ url: String, node: Node, in state: inout State, capacity: Int, probationCapacity: Int
    ) {
        // The newest protected page stays where it is: a hot page's hits then cost one lookup under the lock, not
        // the relinking of three nodes (the lock is shared by every event loop answering hits).
        if node.segment == .protected, state.protected.newest == url { return }
        unlink(url, in: &state)
        // A second request moves a page from probation to protected.
        pushNewest(url, page: node.page, segment: .protected, in: &state)
        balance(in: &state, capacity: capacity, probationCapacity: probationCapacity)
    }

    private static func insert(_ url: String, page: Page, in state: inout State, capacity: Int, probationCapacity: Int)
    {
        if state.nodes[url] != nil { remove(url, in: &state) }
        pushNewest(url, page: page, segment: .probation, in: &state)
        for key in page.keys { state.byKey[key, default: []].insert(url) }
        balance(in: &state, capacity: capacity, probationCapacity: probationCapacity)
    }

    /// Keeps both segments within their bytes: protected demotes its oldest to probation, probation drops its
    /// oldest.
    private static func balance(in state: inout State, capacity: Int, probationCapacity: Int) {
        let total = capacity
        while state.protected.bytes > total - probationCapacity, let oldest = state.protected.oldest {
            let page = state.nodes[oldest]!.page
            unlink(oldest, in: &state)
            pushNewest(oldest, page: page, segment: .probation, in: &state)
        }
        while state.probation.bytes > probationCapacity || state.probation.bytes + state.protected.bytes > total,
            let oldest = state.probation.oldest
        {
            remove(oldest, in: &state)
            state.statistics.evictions += 1
        }
    }

    private static func pushNewest(_ url: String, page: Page, segment: Segment, in state: inout State) {
        var list = segment == .probation ? state.probation : state.protected
        state.nodes[url] = Node(page: page, segment: segment, newer: nil, older: list.newest)
        if let newest = list.newest { state.nodes[newest]?.newer = url }
        list.newest = url
        if list.oldest == nil { list.oldest = url }
        list.bytes += page.size
        if segment == .probation { state.probation = list } else { state.protected = list }
    }

    private static func unlink(_ url: String, in state: inout State) {
        guard let node = state.nodes[url] else { return }
        var list = node.segment == .probation ? state.probation : state.protected
        if let newer = node.newer { state.nodes[newer]?.older = node.older } else { list.newest = node.older }
        if let older = node.older { state.nodes[older]?.newer = node.newer } else { list.oldest = node.newer }
        list.bytes -= node.page.size
        if node.segment == .probation { state.probation = list } else { state.protected = list }
        state.nodes[url] = nil
    }

    private static func remove(_ url: String, in state: inout State) {
        guard let node = state.nodes[url] else { return }
        unlink(url, in: &state)
        for key in node.page.keys {
            state.byKey[key]?.remove(url)
            if state.byKey[key]?.isEmpty == true { state.byKey[key] = nil }
        }
    }
}
