import Hummingbird
import NewsData

/// Lets the readers' pages read from the read replica (`SHPALTA_DATABASE_REPLICA`), which answers them only while it
/// has replayed every change this node's caches have taken in; the newsroom and the APIs always read the primary.
struct ReplicaReadsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        return try await Database.withReplicaReads { try await next(request, context) }
    }
}
