import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData
import Templates

/// Why the API refused a request: an HTTP status, a stable `code` for programs and a readable message for people
/// (from the theme's localisation, in the site's language). Sent as `{"code": …, "message": …}`.
struct APIError: Error, Sendable {
    /// The stable codes, as the OpenAPI document lists them.
    enum Code: String, Sendable {
        case unauthorized
        case forbidden
        case invalid
        case conflict
        case tooLarge = "too_large"
        case unsupportedType = "unsupported_type"
        case rateLimited = "rate_limited"
        case notFound = "not_found"
        case invalidParameter = "invalid_parameter"
        case invalidCursor = "invalid_cursor"
        case notAcceptable = "not_acceptable"
        case methodNotAllowed = "method_not_allowed"
        case internalError = "internal"
        case unavailable
    }

    var status: HTTPResponse.Status
    var code: Code
    /// The localisation key of the message.
    var messageKey: String
    /// What exactly was wrong (a parameter's name), added to the message.
    var detail: String?
    /// Seconds to wait, for 429.
    var retryAfter: Int?
    /// With `invalid`: each field and the localisation key of its problem.
    var fields: [FieldError] = []

    static let missingKey = APIError(status: .unauthorized, code: .unauthorized, messageKey: "api_error_unauthorized")
    static let unknownKey = APIError(status: .unauthorized, code: .unauthorized, messageKey: "api_error_key_unknown")
    static let notFound = APIError(status: .notFound, code: .notFound, messageKey: "api_error_not_found")
    /// An Admin API id (a rubric's, a tag's, a person's) that names nothing.
    static let noItem = APIError(status: .notFound, code: .notFound, messageKey: "api_error_no_item")
    static let missingToken = APIError(status: .unauthorized, code: .unauthorized, messageKey: "api_error_no_token")
    static let unknownToken = APIError(
        status: .unauthorized, code: .unauthorized, messageKey: "api_error_token_unknown")
    static let tooLarge = APIError(status: .contentTooLarge, code: .tooLarge, messageKey: "api_error_too_large")
    static let noRoute = APIError(status: .notFound, code: .notFound, messageKey: "api_error_no_route")
    static let method = APIError(
        status: .methodNotAllowed, code: .methodNotAllowed, messageKey: "api_error_method")
    static let cursor = APIError(status: .badRequest, code: .invalidCursor, messageKey: "api_error_invalid_cursor")
    static let internalError = APIError(
        status: .internalServerError, code: .internalError, messageKey: "api_error_internal")
    static let busy = APIError(
        status: .serviceUnavailable, code: .internalError, messageKey: "api_error_busy", retryAfter: 5)
    /// The database is away for a moment: nothing was stored; send the request again.
    static let unavailable = APIError(
        status: .serviceUnavailable, code: .unavailable, messageKey: "api_error_unavailable", retryAfter: 5)

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
        var body: TemplateObject = ["code": .string(code.rawValue), "message": .string(message)]
        if !fields.isEmpty {
            body["fields"] = .list(
                fields.map { ["field": .string($0.field), "message": .string(localization[$0.key])] })
        }
        let json = TemplateValue.object(body).json
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
            .contentLength: String(json.utf8.count),
        ]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }
}

extension APIError {
    /// The newsroom's refusal as the Admin API answers it: 404, 403, 409 for a stale save, someone else's lock or a
    /// taken slug, 404 for a reference to nothing, 422 for the rest of what breaks its rules.
    init(_ error: NewsroomError) {
        switch error {
        case .notFound:
            self = APIError(status: .notFound, code: .notFound, messageKey: "api_error_no_story")
        case .forbidden:
            self = APIError(status: .forbidden, code: .forbidden, messageKey: "api_error_forbidden")
        case .stale:
            self = APIError(status: .conflict, code: .conflict, messageKey: "api_error_stale")
        case .lockedByOther(let name, _):
            self = APIError(status: .conflict, code: .conflict, messageKey: "api_error_locked", detail: name)
        case .lockLost(let name, _):
            self = APIError(status: .conflict, code: .conflict, messageKey: "api_error_locked", detail: name)
        case .invalid(let problems):
            if problems.contains(where: { $0.key.hasPrefix("error_missing") }) {
                self = APIError(
                    status: .notFound, code: .notFound, messageKey: "api_error_missing_reference",
                    fields: problems.filter { $0.key.hasPrefix("error_missing") })
            } else if problems.allSatisfy({ $0.key.hasSuffix("_taken") || $0.key == "error_slug_reserved" }) {
                // A slug, name or e-mail that belongs to another story, rubric, tag or account.
                self = APIError(
                    status: .conflict, code: .conflict,
                    messageKey: problems.count == 1 && problems[0].key != "error_slug_taken"
                        ? problems[0].key : "api_error_slug", fields: problems)
            } else {
                self = APIError(
                    status: .unprocessableContent, code: .invalid, messageKey: "api_error_invalid", fields: problems)
            }
        }
    }
}
