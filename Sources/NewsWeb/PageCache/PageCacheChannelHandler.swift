import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// Answers GET requests for pages the ``PageCache`` holds inside the connection's pipeline, right after the
/// HTTP/1 decoder: the page's answer is written as bytes (its head, made when it was stored, the date, its
/// body) straight to the socket. A hit never reaches the conversion to HTTP types, the router, its middleware or
/// Swift's task executor, which is most of what a hit used to cost.
///
/// Anything else goes on to the application unchanged, where the cache's middleware answers it: a miss, a HEAD, a
/// conditional request, a request with a body, one that is not HTTP/1.1 keep-alive, or any request on a
/// connection whose earlier requests are still being answered, so answers stay in request order. The cache is
/// the one the change events evict, so this path is as fresh as the other.
final class PageCacheChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let cache: PageCache
    private let language: String
    /// Told of each answer sent here, which passes it by.
    private let deadlines: ConnectionDeadlineHandler
    /// Where readers' views of the story pages answered here are counted.
    private let views: ViewCounter?
    private let proxies: TrustedProxies
    /// Where answers are written as bytes: the response encoder's place, next to the socket.
    private var socket: ChannelHandlerContext?
    /// Requests passed on to the application and not yet answered.
    private var forwarded = 0
    /// The answer to the request being read, sent when its end arrives.
    private var answer: (head: ByteBuffer, body: ByteBuffer, id: String)?
    /// The address of the connection's other end, as text: worked out for its first counted view, then kept.
    private var peer: String?

    init(
        cache: PageCache, language: String, deadlines: ConnectionDeadlineHandler, views: ViewCounter? = nil,
        proxies: TrustedProxies = TrustedProxies([])
    ) {
        self.cache = cache
        self.language = language
        self.deadlines = deadlines
        self.views = views
        self.proxies = proxies
    }

    func handlerAdded(context: ChannelHandlerContext) {
        socket = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        socket = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if forwarded == 0, let found = cachedAnswer(to: request, context: context) {
                let id =
                    RequestIdentity.accepted(request.headers.first(name: "X-Request-Id")) ?? RequestIdentity.next()
                answer = (found.head, found.body, id)
                return
            }
            forwarded += 1
            context.fireChannelRead(data)
        case .body:
            if answer == nil { context.fireChannelRead(data) }
        case .end:
            guard let (head, body, id) = answer, let socket else { return context.fireChannelRead(data) }
            answer = nil
            var bytes = context.channel.allocator.buffer(capacity: head.readableBytes + 120)
            bytes.writeImmutableBuffer(head)
            bytes.writeString(HTTPDateCache.shared.now)
            bytes.writeStaticString("\r\nX-Request-Id: ")
            bytes.writeString(id)
            bytes.writeStaticString("\r\n\r\n")
            socket.write(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
            socket.writeAndFlush(NIOAny(IOData.byteBuffer(body)), promise: nil)
            deadlines.responseEnded()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded = max(0, forwarded - 1) }
        context.write(data, promise: promise)
    }

    private func peer(of context: ChannelHandlerContext) -> String {
        if let peer { return peer }
        let found = context.channel.remoteAddress?.ipAddress ?? "unknown"
        peer = found
        return found
    }

    /// The head and body from the cache answering `request`, when it is a plain HTTP/1.1 keep-alive GET of a held
    /// page.
    private func cachedAnswer(to request: HTTPRequestHead, context: ChannelHandlerContext) -> (
        head: ByteBuffer, body: ByteBuffer
    )? {
        guard socket != nil, request.method == .GET, request.version == .http1_1, request.isKeepAlive,
            request.uri.utf8.first == UInt8(ascii: "/"), !request.uri.utf8.contains(UInt8(ascii: "#")),
            !request.headers.contains(name: "If-None-Match"),
            request.headers.first(name: "Content-Length").map({ $0 == "0" }) ?? true,
            !request.headers.contains(name: "Transfer-Encoding"),
            let page = cache.peek(language + " " + request.uri)
        else { return nil }
        if let views, let keys = page.keys.first, let article = ViewCounter.viewedArticle(path: request.uri, keys: keys)
        {
            views.record(
                article: article,
                address: proxies.client(peer: peer(of: context), forwardedFor: request.headers["X-Forwarded-For"]),
                userAgent: request.headers.first(name: "User-Agent"))
        }
        if let gzip = page.gzip, let head = page.gzipWireHead,
            PageCacheMiddleware<AppRequestContext>.acceptsGzip(
                acceptEncoding: request.headers.first(name: "Accept-Encoding"))
        {
            return (head, gzip)
        }
        return (page.wireHead, page.body)
    }
}

/// The `Date` header value, made once a second.
final class HTTPDateCache: Sendable {
    static let shared = HTTPDateCache()

    private let cached = Mutex<(second: Int, text: String)>((0, ""))

    var now: String {
        let second = Int(Date().timeIntervalSince1970)
        if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = HTTPDate.format(Date(timeIntervalSince1970: TimeInterval(second)))
        cached.withLock { $0 = (second, text) }
        return text
    }
}
