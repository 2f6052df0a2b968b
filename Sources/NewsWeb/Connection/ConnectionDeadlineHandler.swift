import NIOCore
import NIOHTTP1

/// Closes a connection whose client is too slow: one that takes longer than the header timeout to send a
/// request's head (a half-sent header arrives at no pace at all), that keeps an idle keep-alive connection open
/// past the keep-alive timeout, or that pauses mid-body longer than the body timeout. A request being answered
/// has no deadline here: the handler's own work is not the client's slowness.
///
/// It sits right after the HTTP/1 decoder. Each request moves the deadline, but the connection has one timer,
/// scheduled again only when it fires early or a deadline comes nearer: moving a deadline is a clock reading,
/// not a timer cancelled and another scheduled (which was a tenth of what a page served from memory cost).
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ConnectionLimits
    /// When the connection is closed unless something happens first; nil while a request is being answered.
    private var deadline: NIODeadline?
    /// The one timer, and when it fires (at or before `deadline`, or it finds the deadline moved and waits on).
    private var timer: Scheduled<Void>?
    private var timerFires = NIODeadline.distantFuture
    /// Requests whose head has arrived and whose response has not ended.
    private var open = 0
    private var readingBody = false
    private var context: ChannelHandlerContext?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(limits.headerTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.headerTimeout)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            open += 1
            readingBody = true
            arm(limits.bodyIdleTimeout)
        case .body:
            if readingBody { arm(limits.bodyIdleTimeout) }
        case .end:
            readingBody = false
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { responseEnded() }
        context.write(data, promise: promise)
    }

    /// A response has been sent in full: also called for one written past this handler (the page cache's).
    func responseEnded() {
        open = max(0, open - 1)
        if open == 0, !readingBody { arm(limits.keepAliveTimeout) }
    }

    private func arm(_ timeout: TimeAmount) {
        let at = NIODeadline.now() + timeout
        deadline = at
        if timer == nil || at < timerFires { schedule(at) }
    }

    private func schedule(_ at: NIODeadline) {
        timer?.cancel()
        timer = nil
        guard let context else { return }
        timerFires = at
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) { [weak self] in self?.fire() }
    }

    private func fire() {
        timer = nil
        guard let deadline else { return }
        if deadline <= .now() {
            context?.close(promise: nil)
        } else {
            schedule(deadline)
        }
    }

    private func stop() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }
}
