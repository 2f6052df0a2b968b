import Foundation

extension Array where Element: Sendable {
    /// `map` over the elements in one task per core (the elements split into that many runs), keeping their order:
    /// for CPU-bound work on many items, such as analysing articles for search.
    public func concurrentMap<T: Sendable>(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @escaping @Sendable (Element) -> T
    ) async -> [T] {
        let runLength = Swift.max(1, (count + Swift.max(1, workers) - 1) / Swift.max(1, workers))
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
