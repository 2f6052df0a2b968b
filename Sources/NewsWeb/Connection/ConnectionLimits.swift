import NIOCore

/// How long the server waits for a client, and how many clients it holds at once.
///
/// Without these, a client that opens a connection and sends nothing, or a header a byte at a time, holds a
/// socket for good; enough of them exhaust the file descriptors and nobody else is served.
public struct ConnectionLimits: Sendable, Equatable {
    /// From the connection's start, or the end of the previous response, until a request's head has arrived.
    public var headerTimeout: TimeAmount
    /// An idle keep-alive connection (a response sent, no new request begun) is closed after this.
    public var keepAliveTimeout: TimeAmount
    /// While a request body is read, the longest pause between two of its parts.
    public var bodyIdleTimeout: TimeAmount
    /// The most connections open at once; more wait in the kernel's queue until one closes.
    public var maxConnections: Int

    /// Creates limits; the defaults suit a site behind or without a proxy.
    public init(
        headerTimeout: TimeAmount = .seconds(10), keepAliveTimeout: TimeAmount = .seconds(15),
        bodyIdleTimeout: TimeAmount = .seconds(30), maxConnections: Int = 8192
    ) {
        self.headerTimeout = headerTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.bodyIdleTimeout = bodyIdleTimeout
        self.maxConnections = maxConnections
    }
}
