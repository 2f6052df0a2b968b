import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NewsCore
import NewsData
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
            if request.uri.path.hasPrefix(Self.adminPrefix) {
                return try await admin(request, context: context, next: next)
            }
            guard let secret = request.headers[Self.keyHeader] ?? request.uri.queryParameters["key"].map(String.init),
                !secret.isEmpty
            else { throw APIError.missingKey }
            guard secret.utf8.count <= 200,
                let key = try await web.apiKeys.key(secret: secret, database: web.database), key.kind == .content
            else { throw APIError.unknownKey }
            if let wait = limiter.take(key.id) { throw APIError.rateLimited(retryAfter: wait) }
            if let repeated = Self.repeatedParameter(request.uri.query) { throw APIError.parameter(repeated) }
            return try await next(request, context)
        } catch {
            return Self.response(for: error, web: web, path: request.uri.path)
        }
    }

    /// Where the Admin API's paths begin.
    static var adminPrefix: String { "/api/v1/admin/" }

    /// The Admin API's door: a member's unexpired token (`Authorization: Bearer …`), the member enabled; the
    /// body at most ``maxBody`` bytes; the member known to the operation (``APIMember``); and the change events
    /// of its writes dispatched before the answer, so the next request sees them everywhere.
    private func admin(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            authorization.utf8.count <= 300
        else { throw APIError.missingToken }
        let secret = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let key = try await web.apiKeys.key(secret: secret, database: web.database), key.kind == .admin,
            key.isActive(at: Date()), let userID = key.userID,
            let user = try await web.users.find(id: userID), !user.disabled
        else { throw APIError.unknownToken }
        if let wait = limiter.take(key.id) { throw APIError.rateLimited(retryAfter: wait) }
        if let repeated = Self.repeatedParameter(request.uri.query) { throw APIError.parameter(repeated) }
        var request = request
        // A photo's upload streams to a file under its own limit (``MediaUpload``); other bodies are JSON.
        let upload = request.method == .post && request.uri.path == SiteURL.apiMedia.path
        if request.method != .get, request.method != .head, !upload {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maxBody)
            } catch is NIOTooManyBytesError {
                throw APIError.tooLarge
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw APIError.tooLarge
            }
            if let null = Self.nullField(in: body) { throw APIError.parameter(null) }
        }
        let member = APIMember(user: user, keyID: key.id, address: (context as? AppRequestContext)?.clientAddress)
        let response = try await APIMember.$current.withValue(member) {
            try await next(request, context)
        }
        if request.method != .get, request.method != .head { try await web.changes.drain() }
        return response
    }

    /// The first member of a JSON body whose value is `null`: no field of the API takes one (a field without a
    /// value is left out), and reading `null` as "left out" would accept what the document refuses.
    static func nullField(in body: ByteBuffer) -> String? {
        guard
            let json = try? JSONSerialization.jsonObject(
                with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        else { return nil }
        func find(_ value: Any, path: String) -> String? {
            switch value {
            case is NSNull: return path.isEmpty ? "body" : path
            case let object as [String: Any]:
                for (key, member) in object {
                    if let found = find(member, path: path.isEmpty ? key : path + "." + key) { return found }
                }
            case let list as [Any]:
                for (index, item) in list.enumerated() {
                    if let found = find(item, path: "\(path)[\(index)]") { return found }
                }
            default: break
            }
            return nil
        }
        return find(json, path: "")
    }

    /// The largest body the Admin API reads.
    static var maxBody: Int { 2 * 1_048_576 }

    /// The name of a query parameter sent more than once: no parameter of the API is a repeated one (lists are
    /// comma-separated), and taking one of two values silently would answer a question nobody asked.
    /// Also a parameter sent without a value (`include=`): none of the API's may be empty.
    static func repeatedParameter(_ query: String?) -> String? {
        guard let query else { return nil }
        var seen = Set<Substring>()
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0]
            // (`key=` alone is a client that sends its key in the header instead.)
            let empty = name != "key" && (parts.count < 2 || parts[1].isEmpty)
            if !seen.insert(name).inserted || empty { return String(name.prefix(100)) }
        }
        return nil
    }

    /// The JSON answer to anything thrown behind the door.
    static func response(for error: any Error, web: WebEnvironment, path: String) -> Response {
        apiError(for: error, web: web, path: path).response(web.theme.localization)
    }

    static func apiError(for error: any Error, web: WebEnvironment, path: String) -> APIError {
        if Database.isUnavailable(error)
            || (error as? ServerError).map({ Database.isUnavailable($0.underlyingError) })
                == true
        {
            web.logger.warning("Database unavailable", metadata: ["error": "\(error)", "path": "\(path)"])
            return .unavailable
        }
        switch error {
        case let error as APIError: return error
        case let error as ServerError:
            // The generated code wraps what an operation throws, and what it could not decode.
            if let inner = error.underlyingError as? APIError { return inner }
            if error.underlyingError is WorkPool.Busy { return .busy }
            if let inner = error.underlyingError as? NewsroomError { return APIError(inner) }
            if (400..<500).contains(error.httpStatus.code) || error.operationInput == nil {
                if error.httpStatus == .unsupportedMediaType {
                    return APIError(
                        status: .unsupportedMediaType, code: .unsupportedType, messageKey: "api_error_unsupported_type")
                }
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
        case let error as NewsroomError: return APIError(error)
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

/// The member whose token opened the Admin API for this request (a task-local the gate sets).
struct APIMember: Sendable {
    @TaskLocal static var current: APIMember?

    let user: User
    /// The token's id (its idempotency keys are its own).
    let keyID: Int64
    let address: String?

    var requester: Requester { .member(user, address: address) }

    /// The member, or 401 (an operation of the Admin API reached without the gate).
    static func required() throws -> APIMember {
        guard let current else { throw APIError.missingToken }
        return current
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
        guard response.status == .ok || response.status == .created else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector.writer)
        let body = collector.buffer.value
        var headers = response.headers
        let etag = "\"" + ContentHash.hex(body.readableBytesView) + "\""
        headers[.eTag] = etag
        headers[.cacheControl] =
            request.uri.path.hasPrefix(APIGateMiddleware<Context>.adminPrefix) ? "no-store" : "private, no-cache"
        headers[.vary] = "Accept-Encoding"
        let surrogateKeys = keys.all
        if !surrogateKeys.isEmpty { headers[.surrogateKey] = surrogateKeys.joined(separator: " ") }
        if request.method == .get || request.method == .head, let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: response.status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
