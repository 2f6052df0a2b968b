import HTTPTypes
import Hummingbird

/// Counts a reader's view of a story page answered by the application (rendered, or from the page cache's
/// middleware); the views of pages the connection's pipeline answers are counted there
/// (``PageCacheChannelHandler``).
struct ViewCountMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let counter: ViewCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let response = try await next(request, context)
        if request.method == .get, response.status == .ok || response.status == .notModified,
            let keys = response.headers[.surrogateKey],
            let article = ViewCounter.viewedArticle(path: request.uri.path, keys: keys)
        {
            counter.record(
                article: article, address: context.clientAddress, userAgent: request.headers[.userAgent])
        }
        return response
    }
}

extension HTTPField.Name {
    static let surrogateKey = HTTPField.Name("Surrogate-Key")!
}
