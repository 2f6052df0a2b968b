import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NewsCore
import OpenAPIRuntime
import Synchronization

/// The door of the API: a request needs an active key (header `X-Api-Key`, or the `key` query parameter) and room
/// in that key's allowance; every error behind it comes out as JSON with a stable code (``APIError``), never as the
/// site's HTML error page and never as a 500 for bad input.
struct APIGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let web: WebEnvironment
    let limiter: RateLimiter

    static var keyHeader: HTTPField.Name { HTTPField.Name("X-Api-Key")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            guard let secret = request.headers[Self.keyHeader] ?? request.uri.queryParameters["key"].map(String.init),
                !secret.isEmpty
            else { throw APIError.missingKey }
            guard secret.utf8.count <= 200, let key = try await web.apiKeys.key(secret: secret, database: web.database)
            else { throw APIError.unknownKey }
            if let wait = limiter.take(key.id) { throw APIError.rateLimited(retryAfter: wait) }
            if let repeated = Self.repeatedParameter(request.uri.query) { throw APIError.parameter(repeated) }
            return try await next(request, context)
        } catch {
            return Self.response(for: error, web: web, path: request.uri.path)
        }
    }

    /// The name of a query parameter sent more than once: no parameter of the API is a repeated one (lists are
    /// comma-separated), and taking one of two values silently would answer a question nobody asked.
    static func repeatedParameter(_ query: String?) -> String? {
        guard let query else { return nil }
        var seen = Set<Substring>()
        for item in query.split(separator: "&") {
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if !seen.insert(name).inserted { return String(name.prefix(100)) }
        }
        return nil
    }

    /// The JSON answer to anything thrown behind the door.
    static func response(for error: any Error, web: WebEnvironment, path: String) -> Response {
        apiError(for: error, web: web, path: path).response(web.theme.localization)
    }

    static func apiError(for error: any Error, web: WebEnvironment, path: String) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as ServerError:
            // The generated code wraps what an operation throws, and what it could not decode.
            if let inner = error.underlyingError as? APIError { return inner }
            if error.underlyingError is WorkPool.Busy { return .busy }
            if (400..<500).contains(error.httpStatus.code) || error.operationInput == nil {
                if error.httpStatus == .notAcceptable {
                    return APIError(
                        status: .notAcceptable, code: .notAcceptable, messageKey: "api_error_not_acceptable")
                }
                return .parameter(error.causeDescription)
            }
            web.logger.error(
                "API operation failed", metadata: ["operation": "\(error.operationID)", "error": "\(error)"])
            return .internalError
        case is WorkPool.Busy: return .busy
        case let error as PageError:
            // Refused before reaching the API: an address that is not well-formed (bad percent-encoding, too long).
            switch error.status.code {
            case 404, 410: return .noRoute
            case 400..<500:
                return APIError(status: .badRequest, code: .invalidParameter, messageKey: "api_error_invalid_parameter")
            default:
                web.logger.error("API request failed", metadata: ["error": "\(error)", "path": "\(path)"])
                return .internalError
            }
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .noRoute
            case .methodNotAllowed: return .method
            default:
                return APIError(
                    status: error.status, code: .invalidParameter, messageKey: "api_error_invalid_parameter")
            }
        default:
            web.logger.error("API request failed", metadata: ["error": "\(error)", "path": "\(path)"])
            return .internalError
        }
    }
}

/// The surrogate keys of what an API response shows, collected while its operation runs (a task-local), so that
/// the response cache and CDNs can evict it on the change events that name them.
final class APIResponseKeys: Sendable {
    @TaskLocal static var current: APIResponseKeys?

    private let keys = Mutex<[String]>([])

    /// Adds `keys` to the current response's.
    static func add(_ keys: [String]) {
        current?.keys.withLock { $0 += keys }
    }

    var all: [String] { keys.withLock { Array(Set($0)).sorted() } }
}

/// Gives each successful API response its `ETag` (a hash of its bytes), `Cache-Control` (clients revalidate; the
/// key is the client's own, so no shared cache keeps it) and `Surrogate-Key`, and answers a matching
/// `If-None-Match` with 304. Sits behind the response cache, which stores what this produces.
struct APIResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let keys = APIResponseKeys()
        let response = try await APIResponseKeys.$current.withValue(keys) { try await next(request, context) }
        guard response.status == .ok else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector.writer)
        let body = collector.buffer.value
        var headers = response.headers
        let etag = "\"" + ContentHash.hex(body.readableBytesView) + "\""
        headers[.eTag] = etag
        headers[.cacheControl] = "private, no-cache"
        headers[.vary] = "Accept-Encoding"
        headers[HTTPField.Name("Surrogate-Key")!] = keys.all.joined(separator: " ")
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
