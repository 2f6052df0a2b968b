import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The HTTP/1.1 connection of the site: Hummingbird's, with the site's own handlers placed right after the
/// HTTP/1 decoder, where a request is still NIO's parsed head and an answer can be written as bytes:
///
/// 1. ``ConnectionDeadlineHandler``: closes connections of clients too slow to send or to come back;
/// 2. ``PageCacheChannelHandler``: answers the pages the cache holds, written straight to the socket;
/// 3. then, as in Hummingbird's `HTTP1Channel`, the conversion to HTTP types, the connection's state and the
///    application.
struct SiteHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let pageCache: PageCache?
    let language: String
    /// Where the views of story pages answered from the cache are counted, and who may say whose they are.
    let views: ViewCounter?
    let proxies: TrustedProxies

    /// The server's connections, built on `responder` (the application's).
    static func server(
        limits: ConnectionLimits, pageCache: PageCache?, language: String, views: ViewCounter? = nil,
        proxies: TrustedProxies = TrustedProxies([])
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            SiteHTTP1Channel(
                responder: responder, limits: limits, pageCache: pageCache, language: language, views: views,
                proxies: proxies)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decoder = HTTP1Channel.Configuration.DecoderConfiguration()
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = decoder.maxHeaderFieldSize
            decoderLimits.maxHeaderListSize = decoder.maxHeaderListSize
            decoderLimits.maxHeaderFieldCount = decoder.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            // NIO's encoder and decoder, as `configureHTTPServerPipeline` adds them without pipelining assistance,
            // error handling or header validation (pipelined requests are answered in order by the async channel,
            // errors by the application, and the HTTP types validate outbound headers), but not paired: paired,
            // the decoder queues each request's method for the encoder, which takes one off per answer head it
            // encodes, and the answers ``PageCacheChannelHandler`` writes as bytes would leave their methods
            // queued (a GET's answer after a HEAD then lost its body, and the queue grew by a method a hit). The
            // body of a HEAD's answer is left out by the application (Hummingbird's HEAD routes, the cache).
            try pipeline.addHandler(HTTPResponseEncoder(configuration: .init()))
            try pipeline.addHandler(
                ByteToMessageHandler(
                    HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits)))
            let deadlines = ConnectionDeadlineHandler(limits: limits)
            try pipeline.addHandler(deadlines)
            if let pageCache {
                try pipeline.addHandler(
                    PageCacheChannelHandler(
                        cache: pageCache, language: language, deadlines: deadlines, views: views, proxies: proxies))
            }
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
