import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` over the elements on every core, keeping their order: for CPU-bound work on many items, such as
    /// analysing articles for search.
    ///
    /// The elements are split into several runs per core, each a task of its own, so a core that is free takes more
    /// of them: an import stores one batch on one core while the next is analysed, and with one run per core the
    /// storing core's run waited for it while the other core sat idle (a reindex used 1.3 of 2 cores).
    ///
    /// The runs prefer ``CPUExecutor``'s threads: in the server Swift's executor is NIO's event loops (ADR 15),
    /// which keep the tasks a task starts on its own loop, so a plain task group there would use one core.
    public func concurrentMap<T: Sendable>(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @escaping @Sendable (Element) -> T
    ) async -> [T] {
        let runs = Swift.max(1, workers) * 8
        let runLength = Swift.max(1, (count + runs - 1) / runs)
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for (index, start) in stride(from: 0, to: count, by: runLength).enumerated() {
                let run = Array(self[start..<Swift.min(start + runLength, count)])
                group.addTask(executorPreference: CPUExecutor.shared) { (index, run.map(transform)) }
            }
            var runs: [(Int, [T])] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}

/// Runs tasks on Dispatch's threads for work of the whole machine (one thread a core), whatever Swift's global
/// executor is: for CPU-bound runs of ``Swift/Array/concurrentMap(workers:_:)``.
public final class CPUExecutor: TaskExecutor {
    public static let shared = CPUExecutor()

    private let queue = DispatchQueue.global(qos: .userInitiated)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
