import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A partner's endpoint on loopback (a CDN's purge address, a webhook's receiver) that records every POST to `path`
/// and can refuse the next few or answer slowly.
final class RecordingEndpoint: Sendable {
    struct Call: Sendable {
        let headers: HTTPFields
        let body: String

        func header(_ name: String) -> String { headers[HTTPField.Name(name)!] ?? "" }
    }

    let path: String
    /// The answer to a refused call.
    let failure: HTTPResponse.Status
    /// The answer to a taken call.
    let success: HTTPResponse.Status
    private let state = Mutex<(calls: [Call], failures: Int, delay: Duration, arrived: Int)>(([], 0, .zero, 0))

    init(path: String, failure: HTTPResponse.Status, success: HTTPResponse.Status = .ok) {
        self.path = path
        self.failure = failure
        self.success = success
    }

    var calls: [Call] { state.withLock { $0.calls } }

    /// How many calls have come in, including those still waiting for their answer.
    var arrived: Int { state.withLock { $0.arrived } }

    func failNext(_ count: Int) { state.withLock { $0.failures = count } }

    func delay(_ duration: Duration) { state.withLock { $0.delay = duration } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1_048_576))
            let delay = self.state.withLock { state in
                state.arrived += 1
                return state.delay
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            return self.state.withLock { state in
                state.calls.append(Call(headers: request.headers, body: body))
                if state.failures > 0 {
                    state.failures -= 1
                    return self.failure
                }
                return self.success
            }
        }
        return router
    }

    /// Waits up to `seconds` for `condition`.
    func wait(seconds: Double, until condition: ([Call]) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(calls) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition(calls)
    }
}
