import HTTPTypes
import Hummingbird
import Logging

/// The id of a request: in every log line written while it is answered (as `request_id`) and in the response's
/// `X-Request-Id` header, so an operator can find a reader's failed request in the logs.
///
/// A proxy in front may send its own id, which is kept when it is a plain token; anything else (too long, spaces,
/// control characters, quotes) is replaced, so a client cannot write into the logs.
enum RequestIdentity {
    static let header = HTTPField.Name("X-Request-Id")!

    /// The longest id taken from a client.
    static let maxLength = 64

    /// `value` when it is an id we can pass on: 1 to 64 letters, digits and `-_.:`.
    static func accepted(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maxLength,
            value.utf8.allSatisfy({ byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                    UInt8(ascii: ":"):
                    true
                default: false
                }
            })
        else { return nil }
        return value
    }

    /// A new id: a random prefix for this process and a counter (Hummingbird's, which its logs also carry).
    static func next() -> String { RequestID().description }
}

/// Gives each request its id (``RequestIdentity``), in the log metadata and the response header.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let id = RequestIdentity.accepted(request.headers[RequestIdentity.header]) ?? context.id
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[RequestIdentity.header] = id
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[RequestIdentity.header] = id
            return response
        }
    }
}
