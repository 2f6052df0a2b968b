import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives the memory that the allocator holds free back to the system, every `interval`.
///
/// glibc's malloc keeps what a burst of requests freed (rendered pages, gzip buffers, query rows) inside its heaps
/// for reuse, and returns only what sits at a heap's very top, so the resident size stays at the highest burst's.
/// `malloc_trim(0)` releases the free pages inside the heaps too: on a server that had answered 10,000 requests/s
/// for two and a half minutes it took the resident size from 258 MB to 219 MB.
struct MemoryTrim: Service {
    var interval: Duration = .seconds(30)

    func run() async throws {
        guard let trim = Self.mallocTrim else { return }
        await repeatUntilShutdown(every: interval, atStart: false) { _ = trim(0) }
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module leaves out `malloc.h`, and a C library
    /// other than glibc has none.
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
            return nil
        #endif
    }()
}
