import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the reader's pages from the ``PageCache``: a hit is answered from memory (gzipped to clients that
/// accept it, 304 for a matching `If-None-Match`, headers only for HEAD); a miss renders once however many
/// requests ask at the same moment, and stores a 200 that is public and sets no cookie.
struct PageCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: PageCache
    let language: String
    /// Whether responses marked `private` are kept too (the API's, whose door checks each request's key first).
    var storesPrivate = false
    /// A query parameter left out of the cache's key (the API's `key`: every key gets the same answer).
    var ignoredParameter: String? = nil
    /// Paths never cached (the Admin API's: each member's own, drafts included).
    var uncachedPrefix: String? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head,
            uncachedPrefix.map({ !request.uri.path.hasPrefix($0) }) ?? true
        else { return try await next(request, context) }
        let url = language + " " + request.uri.path + (Self.query(of: request, ignoring: ignoredParameter) ?? "")
        switch cache.lookup(url) {
        case .hit(let page):
            return Self.response(page, for: request)
        case .wait:
            if let page = await cache.wait(for: url) { return Self.response(page, for: request) }
            return try await next(request, context)
        case .render(let since):
            // Render the whole page (not a 304, not headers only), then answer this request from it.
            var head = request.head
            head.method = .get
            head.headerFields[.ifNoneMatch] = nil
            let full = Request(head: head, body: request.body)
            let response: Response
            do {
                response = try await next(full, context)
            } catch {
                cache.finish(url, page: nil, since: since)
                throw error
            }
            let page = try await Self.page(of: response, storesPrivate: storesPrivate)
            cache.finish(url, page: page, since: since)
            guard let page else { return response }
            return Self.response(page, for: request)
        }
    }

    /// The cacheable form of `response`, or nil when it must not be kept.
    static func page(of response: Response, storesPrivate: Bool = false) async throws -> PageCache.Page? {
        guard response.status == .ok, response.headers[.setCookie] == nil,
            response.headers[.contentEncoding] == nil,
            let control = response.headers[.cacheControl], control.contains("public") || storesPrivate,
            let etag = response.headers[.eTag]
        else { return nil }
        let collector = BodyCollector()
        try await response.body.write(collector.writer)
        // Kept in buffers of their own size: the collected body grew by doubling, and gzip's output buffer is sized
        // for incompressible input, so either could hold twice the bytes the cache counts.
        let body = collector.buffer.value.compacted()
        var copy = body
        let gzip = (try? copy.compress(with: .gzip())).flatMap {
            $0.readableBytes < body.readableBytes ? $0.compacted() : nil
        }
        var headers = response.headers
        headers[.contentLength] = nil
        let keys = (response.headers[.surrogateKey] ?? "").split(separator: " ").map(String.init)
        return PageCache.Page(
            status: response.status, headers: headers, body: body, gzip: gzip, etag: etag, keys: keys,
            expires: response.headers[.expires].flatMap(HTTPDate.parse))
    }

    /// "?" and the query of `request` without `ignored`'s items; nil without a query.
    static func query(of request: Request, ignoring ignored: String?) -> String? {
        guard let query = request.uri.query else { return nil }
        guard let ignored else { return "?" + query }
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter {
            $0 != ignored && !$0.hasPrefix(ignored + "=")
        }
        return kept.isEmpty ? nil : "?" + kept.joined(separator: "&")
    }

    /// A response from a stored page for `request`.
    static func response(_ page: PageCache.Page, for request: Request) -> Response {
        let (status, headers, body) = answer(page, method: request.method, headers: request.headers)
        guard let body else { return Response(status: status, headers: headers) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// What a stored page answers to a request with `method` and `headers`: 304 for a matching `If-None-Match`,
    /// the gzipped copy to a client that takes it, no body for HEAD.
    static func answer(_ page: PageCache.Page, method: HTTPRequest.Method, headers requestHeaders: HTTPFields)
        -> (HTTPResponse.Status, HTTPFields, ByteBuffer?)
    {
        var headers = page.headers
        if let match = requestHeaders[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == page.etag || $0 == "*"
            })
        {
            return (.notModified, headers, nil)
        }
        var body = page.body
        if let gzip = page.gzip, acceptsGzip(requestHeaders) {
            headers[.contentEncoding] = "gzip"
            body = gzip
        }
        headers[.contentLength] = String(body.readableBytes)
        return (page.status, headers, method == .head ? nil : body)
    }

    /// Whether the client takes gzip (`Accept-Encoding: gzip`, not with q=0).
    static func acceptsGzip(_ request: Request) -> Bool { acceptsGzip(request.headers) }

    static func acceptsGzip(_ headers: HTTPFields) -> Bool { acceptsGzip(acceptEncoding: headers[.acceptEncoding]) }

    /// Whether an `Accept-Encoding` value takes gzip.
    static func acceptsGzip(acceptEncoding: String?) -> Bool {
        guard let accept = acceptEncoding?.lowercased() else { return false }
        return accept.split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first == "gzip" || fields.first == "*" else { return false }
            return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }
}

/// Collects a response body's buffers.
struct BodyCollector {
    final class Box: @unchecked Sendable {
        var value = ByteBuffer()
    }

    let buffer = Box()

    var writer: Writer { Writer(box: buffer) }

    struct Writer: ResponseBodyWriter {
        let box: Box

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            box.value.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

extension ByteBuffer {
    /// The readable bytes in a buffer of exactly their size, for keeping.
    func compacted() -> ByteBuffer {
        var copy = ByteBufferAllocator().buffer(capacity: readableBytes)
        copy.writeImmutableBuffer(self)
        return copy
    }
}
