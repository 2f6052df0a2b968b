import Foundation

extension Array where Element: Sendable {
    /// `map` over the elements on every core, keeping their order: for CPU-bound work on many items, such as
    /// analysing articles for search.
    ///
    /// The elements are split into several runs per core, each a task of its own, so a core that is free takes more
    /// of them: an import stores one batch on one core while the next is analysed, and with one run per core the
    /// storing core's run waited for it while the other core sat idle (a reindex used 1.3 of 2 cores).
    public func concurrentMap<T: Sendable>(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @escaping @Sendable (Element) -> T
    ) async -> [T] {
        let runs = Swift.max(1, workers) * 8
        let runLength = Swift.max(1, (count + runs - 1) / runs)
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for (index, start) in stride(from: 0, to: count, by: runLength).enumerated() {
                let run = Array(self[start..<Swift.min(start + runLength, count)])
                group.addTask { (index, run.map(transform)) }
            }
            var runs: [(Int, [T])] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
