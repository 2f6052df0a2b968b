import Dispatch
import Foundation
import NewsData
import Testing

/// The limit `/readyz` puts on the database and closing a PostgreSQL pool wait under (issue #15): it answers at the limit even when the work ignores
/// cancellation, as a database call stuck on a dead network does.
@Suite("Deadline")
struct DeadlineTests {
    @Test("work within the limit gives its result; work that ignores cancellation is given up at the limit")
    func deadline() async throws {
        #expect(await Deadline.run(within: .seconds(60)) { 42 } == 42)
        let started = ContinuousClock.now
        let stuck = await Deadline.run(within: .milliseconds(200)) { () async -> Int in
            // Waits 30 s in a way cancellation cannot end.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 30) { continuation.resume() }
            }
            return 1
        }
        #expect(stuck == nil)
        #expect(ContinuousClock.now - started < .seconds(20), "answered at the limit, not after the work")
    }
}
