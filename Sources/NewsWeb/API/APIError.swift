import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Templates

/// Why the API refused a request: an HTTP status, a stable `code` for programs and a readable message for people
/// (from the theme's localisation, in the site's language). Sent as `{"code": …, "message": …}`.
struct APIError: Error, Sendable {
    /// The stable codes, as the OpenAPI document lists them.
    enum Code: String, Sendable {
        case unauthorized
        case rateLimited = "rate_limited"
        case notFound = "not_found"
        case invalidParameter = "invalid_parameter"
        case invalidCursor = "invalid_cursor"
        case notAcceptable = "not_acceptable"
        case methodNotAllowed = "method_not_allowed"
        case internalError = "internal"
    }

    var status: HTTPResponse.Status
    var code: Code
    /// The localisation key of the message.
    var messageKey: String
    /// What exactly was wrong (a parameter's name), added to the message.
    var detail: String?
    /// Seconds to wait, for 429.
    var retryAfter: Int?

    static let missingKey = APIError(status: .unauthorized, code: .unauthorized, messageKey: "api_error_unauthorized")
    static let unknownKey = APIError(status: .unauthorized, code: .unauthorized, messageKey: "api_error_key_unknown")
    static let notFound = APIError(status: .notFound, code: .notFound, messageKey: "api_error_not_found")
    static let noRoute = APIError(status: .notFound, code: .notFound, messageKey: "api_error_no_route")
    static let method = APIError(
        status: .methodNotAllowed, code: .methodNotAllowed, messageKey: "api_error_method")
    static let cursor = APIError(status: .badRequest, code: .invalidCursor, messageKey: "api_error_invalid_cursor")
    static let internalError = APIError(
        status: .internalServerError, code: .internalError, messageKey: "api_error_internal")
    static let busy = APIError(
        status: .serviceUnavailable, code: .internalError, messageKey: "api_error_busy", retryAfter: 5)

    /// A parameter that is malformed or out of range; `name` is named in the message.
    static func parameter(_ name: String, key: String = "api_error_invalid_parameter") -> APIError {
        APIError(status: .badRequest, code: .invalidParameter, messageKey: key, detail: name)
    }

    /// A filter naming a rubric, tag or author that does not exist: 404, with `name` in the message.
    static func unknown(_ name: String, key: String) -> APIError {
        APIError(status: .notFound, code: .notFound, messageKey: key, detail: name)
    }

    static func rateLimited(retryAfter: Int) -> APIError {
        APIError(
            status: .tooManyRequests, code: .rateLimited, messageKey: "api_error_rate_limited",
            retryAfter: retryAfter)
    }

    /// The JSON response, with the message in `localization`'s language.
    func response(_ localization: Localization) -> Response {
        var message = localization[messageKey]
        if let detail { message += " (\(detail))" }
        let json = TemplateValue.object(["code": .string(code.rawValue), "message": .string(message)]).json
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
            .contentLength: String(json.utf8.count),
        ]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }
}
