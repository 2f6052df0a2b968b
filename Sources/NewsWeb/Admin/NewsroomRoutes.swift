import Hummingbird
import NIOCore

/// The only way to add a newsroom route. A state-changing route is either a form post, whose body is decoded
/// once into the handler's request type and whose `_csrf` field is checked before the handler runs, or an upload,
/// which needs the token in the `X-CSRF-Token` header (checked by ``SessionMiddleware``). A handler can neither
/// read a form that skipped the check nor change anything without a token.
struct NewsroomRoutes {
    let group: RouterGroup<AppRequestContext>

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func get(_ path: RouterPath, use handler: @escaping Handler) {
        group.get(path, use: handler)
    }

    /// A form post (`application/x-www-form-urlencoded`, at most `limit` bytes) decoded into `Form`.
    func post<Form: Decodable & Sendable>(
        _ path: RouterPath, form: Form.Type, upTo limit: Int = Forms.maxBodyBytes,
        use handler: @escaping @Sendable (Request, AppRequestContext, Form) async throws -> Response
    ) {
        group.post(path) { request, context in
            let posted = try await Forms.decode(Posted<Form>.self, from: request, upTo: limit)
            try context.csrf.check(posted.csrf)
            return try await handler(request, context, posted.form)
        }
    }

    /// A post whose body is not a form (a photo's bytes): the token comes in the `X-CSRF-Token` header.
    func upload(_ path: RouterPath, use handler: @escaping Handler) {
        group.post(path) { request, context in
            guard context.csrf == .verified else { throw PageError.csrf }
            return try await handler(request, context)
        }
    }
}

/// A form with its CSRF token: both read from the one decoding of the body.
struct Posted<Form: Decodable>: Decodable {
    var csrf: String?
    var form: Form

    private enum CodingKeys: String, CodingKey { case csrf = "_csrf" }

    init(from decoder: any Decoder) throws {
        csrf = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .csrf)
        form = try Form(from: decoder)
    }
}

/// A form with no fields but its token (sign out, take the lock).
struct EmptyForm: Decodable, Sendable {}

/// Where a request's CSRF check stands. ``SessionMiddleware`` sets it for every state-changing newsroom request.
enum CSRFCheck: Equatable, Sendable {
    /// A safe request (GET, HEAD): nothing to check.
    case none
    /// The `X-CSRF-Token` header matched.
    case verified
    /// A form post: its `_csrf` field must equal this.
    case expected(String)

    func check(_ given: String?) throws {
        switch self {
        case .verified: return
        case .expected(let token):
            guard let given, Forms.constantTimeEqual(token, given) else { throw PageError.csrf }
        case .none:
            throw PageError.csrf
        }
    }
}
