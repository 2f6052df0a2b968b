import HTTPTypes
import Hummingbird
import NewsData

/// An error a reader sees as a themed page: a status and the localisation keys of its heading and
/// message.
struct PageError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let headingKey: String
    let messageKey: String

    static let notFound = PageError(status: .notFound, headingKey: "error_404_heading", messageKey: "error_404_message")
    static let gone = PageError(status: .gone, headingKey: "error_410_heading", messageKey: "error_410_message")
    static let badCursor = PageError(
        status: .badRequest, headingKey: "error_400_heading", messageKey: "error_bad_cursor")
    static let badPage = PageError(status: .badRequest, headingKey: "error_400_heading", messageKey: "error_bad_page")
    static let badPath = PageError(status: .badRequest, headingKey: "error_400_heading", messageKey: "error_bad_path")
    static let badRequest = PageError(
        status: .badRequest, headingKey: "error_400_heading", messageKey: "error_400_message")
    static let tooLong = PageError(
        status: .uriTooLong, headingKey: "error_414_heading", messageKey: "error_query_too_long")
    static let internalError = PageError(
        status: .internalServerError, headingKey: "error_500_heading", messageKey: "error_500_message")
    static let unauthorized = PageError(
        status: .unauthorized, headingKey: "error_401_heading", messageKey: "error_401_message")
    static let forbidden = PageError(
        status: .forbidden, headingKey: "error_403_heading", messageKey: "error_403_message")
    static let bodyTooLarge = PageError(
        status: .contentTooLarge, headingKey: "error_400_heading", messageKey: "error_body_too_large")
    static let tooManyRequests = PageError(
        status: .tooManyRequests, headingKey: "error_429_heading", messageKey: "error_busy")
    static let unavailable = PageError(
        status: .serviceUnavailable, headingKey: "error_503_heading", messageKey: "error_503_message")
    static let busy = PageError(status: .serviceUnavailable, headingKey: "error_503_heading", messageKey: "error_busy")
    /// A state-changing form without this session's token.
    static let csrf = PageError(status: .forbidden, headingKey: "error_403_heading", messageKey: "error_csrf")

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status)
    }
}

extension PageError {
    /// The page for a refusal of the newsroom's use cases.
    init(_ error: NewsroomError) {
        switch error {
        case .notFound: self = .notFound
        case .forbidden: self = .forbidden
        default: self = .badRequest
        }
    }
}
