import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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

/// Runs tasks on threads of its own, one a core, whatever Swift's global executor is: for CPU-bound runs of
/// ``Swift/Array/concurrentMap(workers:_:)``.
///
/// The threads run at a lower priority (nice ``niceness``) than the rest of the process. Bulk work (an import, a
/// reindex) prepares batches on them while another thread stores the batch before: with equal priorities the kernel
/// shared the two cores among three threads, the store got two thirds of a core, and once the next batches were
/// ready a core sat idle waiting for it. Lower, they take what the store and the server's requests leave: the
/// 20,000-story WordPress import took 24.0–25.2 s instead of 28.1–29.0 s (ADR 12).
public final class CPUExecutor: TaskExecutor {
    public static let shared = CPUExecutor(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// How many batches bulk work (an import, a reindex) prepares here ahead of the one it stores: enough that the
    /// cores the store leaves free always have one to work on.
    public static let batchesAhead = 2

    /// How much nicer the threads are than the process's main thread (Linux keeps a nice value a thread).
    public static let lowering: Int32 = 10

    /// The threads' nice value: ``lowering`` above the main thread's, at most 19.
    public static var niceness: Int32 {
        Swift.min(19, getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid())) + lowering)
    }

    private let jobs = Mutex(JobQueue())
    private let ready = DispatchSemaphore(value: 0)

    private init(threads: Int) {
        for _ in 0..<Swift.max(1, threads) {
            Thread { [self] in work() }.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    private func work() {
        // `who` 0 is the calling thread on Linux, and the process's id its main thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        let executor = asUnownedTaskExecutor()
        while true {
            ready.wait()
            guard let job = jobs.withLock({ $0.removeFirst() }) else { continue }
            job.runSynchronously(on: executor)
        }
    }
}

/// Jobs first in, first out, without moving the others at each removal.
private struct JobQueue: ~Copyable {
    private var items: [UnownedJob?] = []
    private var head = 0

    mutating func append(_ job: UnownedJob) {
        // The slots of removed jobs are dropped once they are half the array.
        if head > 0, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        items.append(job)
    }

    mutating func removeFirst() -> UnownedJob? {
        guard head < items.count else { return nil }
        defer {
            items[head] = nil
            head += 1
        }
        return items[head]
    }
}
