import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives the memory that the allocator holds free back to the system, every `interval`.
///
/// glibc's malloc keeps what a burst of requests freed (rendered pages, gzip buffers, query rows) inside its heaps
/// for reuse, and returns only what sits at a heap's very top; under steady load, each new burst that lands on
/// other pages than the last raises the resident size a little more, though the live heap stays flat. `make soak`
/// measured 221 MB growing to 258 MB in 150 s of 10,000 requests/s, and `malloc_trim(0)` bringing it back to 219 MB.
/// Trimming releases the free pages inside the heaps too; it takes the allocator's locks for about a millisecond.
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
