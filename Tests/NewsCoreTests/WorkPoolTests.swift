import Dispatch
import NewsCore
import Testing

@Suite("Work pools")
struct WorkPoolTests {
    @Test("jobs beyond the threads and the queue are refused at once; the others run")
    func boundedQueue() async throws {
        let pool = WorkPool(name: "test", threads: 1, maxWaiting: 1)
        // The job blocks its own pool thread (never a cooperative one) until the test lets it go.
        let gate = DispatchSemaphore(value: 0)
        let running = Task {
            try await pool.run {
                gate.wait()
                return 1
            }
        }
        while pool.load < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let waiting = Task { try await pool.run { 2 } }
        while pool.load < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: WorkPool.Busy.self) { try await pool.run { 3 } }
        gate.signal()
        #expect(try await running.value == 1)
        #expect(try await waiting.value == 2)
        #expect(pool.load == 0)
        #expect(try await pool.run { 4 } == 4)
    }

    @Test("a limit of places refuses beyond its ceiling and frees on leave")
    func concurrencyLimit() {
        let limit = ConcurrencyLimit(2)
        #expect(limit.enter() && limit.enter())
        #expect(!limit.enter())
        limit.leave()
        #expect(limit.enter())
    }
}
