import Hummingbird
import Logging
import NIOCore
import NewsData

/// The per-request state of Shpalta: Hummingbird's core plus the signed-in newsroom session, if any,
/// and the client's address (for login throttling and the audit log).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The newsroom session, set by `SessionMiddleware` for `/admin` routes.
    public var session: Session?
    /// Where the CSRF check of a state-changing newsroom request stands (``SessionMiddleware``, ``NewsroomRoutes``).
    var csrf: CSRFCheck = .none
    /// The client's IP address: as the socket sees it, or as a trusted proxy reports it
    /// (``ClientAddressMiddleware``).
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
