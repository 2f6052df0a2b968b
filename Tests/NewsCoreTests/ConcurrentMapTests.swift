import NewsCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Mapping on every core")
struct ConcurrentMapTests {
    @Test("keeps the order of the elements, for any number of them and of workers")
    func order() async {
        for count in [0, 1, 7, 16, 17, 1_000] {
            let numbers = Array(0..<count)
            for workers in [1, 2, 3, 8] {
                #expect(await numbers.concurrentMap(workers: workers) { $0 * 3 } == numbers.map { $0 * 3 })
            }
        }
    }

    /// Isolated to an actor of its own: the runs must not need the caller's executor.
    actor Caller {
        func squares(_ numbers: [Int]) async -> [Int] { await numbers.concurrentMap { $0 * $0 } }
    }

    @Test("finishes when called from an actor, the runs on their own threads")
    func fromAnActor() async {
        let numbers = Array(1...500)
        #expect(await Caller().squares(numbers) == numbers.map { $0 * $0 })
    }

    @Test("runs at a lower priority than the thread that asks, so a store waiting for it is not slowed")
    func lowerPriority() async {
        let main = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        let levels = await Array(0..<64).concurrentMap { _ in getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        }
        #expect(Set(levels) == [min(19, main + CPUExecutor.lowering)])
        #expect(main < 19)
    }
}
