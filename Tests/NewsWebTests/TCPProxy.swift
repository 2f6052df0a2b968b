import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay on loopback between a server under test and its database, which a test can cut and restore: the
/// database going away as a stopped server or a cut network shows it (connections closed, new ones refused).
final class TCPProxy: Sendable {
    /// The port the relay listens on; the same after ``restore()``.
    let port: Int
    private let target: (host: String, port: Int)
    private let group: MultiThreadedEventLoopGroup
    private let state: Mutex<(listener: (any Channel)?, relayed: [any Channel])>

    private init(
        port: Int, target: (host: String, port: Int), group: MultiThreadedEventLoopGroup, listener: any Channel
    ) {
        self.port = port
        self.target = target
        self.group = group
        state = Mutex((listener, []))
    }

    /// Starts relaying a free loopback port to `host`:`port`.
    static func start(to host: String, port: Int) async throws -> TCPProxy {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = Mutex<TCPProxy?>(nil)
        let listener = try await bind(port: 0, group: group) { inbound in
            box.withLock { $0 }?.relay(inbound) ?? inbound.eventLoop.makeSucceededVoidFuture()
        }
        let proxy = TCPProxy(
            port: listener.localAddress?.port ?? 0, target: (host, port), group: group, listener: listener)
        box.withLock { $0 = proxy }
        return proxy
    }

    /// The database goes away: no new connection is accepted, and every open one is closed.
    func cut() async throws {
        let (listener, relayed) = state.withLock { state in
            defer { state = (nil, []) }
            return state
        }
        try await listener?.close()
        for channel in relayed { try? await channel.close() }
    }

    /// The database is back: connections are accepted on the same port again.
    func restore() async throws {
        let listener = try await Self.bind(port: port, group: group) { [self] inbound in relay(inbound) }
        state.withLock { $0.listener = listener }
    }

    /// Stops relaying for good.
    func stop() async throws {
        try await cut()
        try await group.shutdownGracefully()
    }

    private static func bind(
        port: Int, group: MultiThreadedEventLoopGroup,
        accept: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer(accept)
            .bind(host: "127.0.0.1", port: port).get()
    }

    /// Connects `inbound` to the target and pipes bytes both ways until either side closes.
    private func relay(_ inbound: any Channel) -> EventLoopFuture<Void> {
        ClientBootstrap(group: inbound.eventLoop).connect(host: target.host, port: target.port).flatMapThrowing {
            outbound in
            try outbound.pipeline.syncOperations.addHandler(Pipe(to: inbound))
            try inbound.pipeline.syncOperations.addHandler(Pipe(to: outbound))
            let open = self.state.withLock { state in
                if state.listener != nil { state.relayed += [inbound, outbound] }
                return state.listener != nil
            }
            // Connected while the relay was being cut: cut as well.
            if !open {
                outbound.close(promise: nil)
                throw ChannelError.ioOnClosedChannel
            }
        }
    }

    /// Writes what one side reads to the other side, and closes the other side when this one closes.
    private final class Pipe: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let other: any Channel

        init(to other: any Channel) { self.other = other }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            other.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            other.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
