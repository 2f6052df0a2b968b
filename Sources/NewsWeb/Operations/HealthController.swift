import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsData

/// The two probes an operator's load balancer or orchestrator asks: `/healthz` (the process answers) and `/readyz`
/// (it can serve: the database answers within ``AppSettings/readinessTimeout`` and every migration is applied).
///
/// Both answer JSON that is never cached, and neither needs a session: they say nothing about the content.
struct HealthController<Context: RequestContext> {
    let web: WebEnvironment

    /// What a probe answers: `ok`, or `unavailable` with the reason.
    struct Status: Encodable {
        let status: String
        var reason: String?
    }

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.healthz) { _, _ in
            Self.response(Status(status: "ok"), status: .ok)
        }
        router.get(SiteURL.Pattern.readyz) { _, _ in
            let database = web.database
            let problem = await Deadline.run(within: web.settings.readinessTimeout) { () async -> String? in
                do {
                    // Reads the database: a database that does not answer throws here.
                    let pending = try await Migrator(database: database).pendingMigrations()
                    guard pending.isEmpty else {
                        return "migrations pending: " + pending.map(String.init).joined(separator: ", ")
                    }
                    return nil
                } catch {
                    return "database"
                }
            }
            return switch problem {
            case .some(nil): Self.response(Status(status: "ok"), status: .ok)
            case .some(let reason?):
                Self.response(Status(status: "unavailable", reason: reason), status: .serviceUnavailable)
            case nil: Self.response(Status(status: "unavailable", reason: "database"), status: .serviceUnavailable)
            }
        }
    }

    private static func response(_ status: Status, status code: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(status)) ?? Data(#"{"status":"unavailable"}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: code, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
