import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers requests for pages the ``PageCache`` holds inside the connection's pipeline, on its event loop: a hit
/// never reaches the router, its middleware or Swift's task executor, which is most of what a hit used to cost.
/// Anything else (a miss, a page being rendered, a request with a body, a connection with requests still being
/// answered) goes on to the application unchanged, so answers stay in request order. The cache is the one the
/// change events evict, so this path is as fresh as the other.
final class PageCacheChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let cache: PageCache
    private let language: String
    /// Requests passed on to the application and not yet answered.
    private var forwarded = 0
    /// The answer to the request being read, sent when its end arrives.
    private var answer: (head: HTTPResponse, body: ByteBuffer?)?

    init(cache: PageCache, language: String) {
        self.cache = cache
        self.language = language
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if forwarded == 0, let found = cachedAnswer(to: request) {
                answer = found
                return
            }
            forwarded += 1
            context.fireChannelRead(data)
        case .body:
            if answer == nil { context.fireChannelRead(data) }
        case .end:
            guard let (head, body) = answer else { return context.fireChannelRead(data) }
            answer = nil
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if let body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded = max(0, forwarded - 1) }
        context.write(data, promise: promise)
    }

    /// The answer from the cache to `request`, when it is a plain GET or HEAD of a held page.
    private func cachedAnswer(to request: HTTPRequest) -> (HTTPResponse, ByteBuffer?)? {
        guard request.method == .get || request.method == .head, let target = request.path,
            target.utf8.first == UInt8(ascii: "/"), !target.utf8.contains(UInt8(ascii: "#")),
            request.headerFields[.contentLength].map({ $0 == "0" }) ?? true,
            request.headerFields[.transferEncoding] == nil,
            request.headerFields[.connection]?.lowercased() != "close",
            let page = cache.peek(language + " " + target)
        else { return nil }
        var (status, headers, body) = PageCacheMiddleware<AppRequestContext>.answer(
            page, method: request.method, headers: request.headerFields)
        headers[.date] = HTTPDateCache.shared.now
        headers[.server] = "Shpalta"
        return (HTTPResponse(status: status, headerFields: headers), body)
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
