import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore

/// Builds HTML responses with the caching headers a CDN or browser needs: a strong `ETag` from the
/// bytes (answering `If-None-Match` with 304), `Cache-Control`, `Last-Modified` and `Surrogate-Key`
/// naming what the page shows, so a purge can evict exactly the pages an edit touches.
struct HTMLResponse {
    var body: ByteBuffer
    var status: HTTPResponse.Status
    /// `text/html` for pages; feeds, sitemaps and robots.txt say what they are.
    var contentType = "text/html; charset=utf-8"
    /// How long shared caches may keep the page.
    var maxAge: Int
    var lastModified: Date?
    var surrogateKeys: [String]
    var noIndex: Bool
    /// When the page stops being true without any change to the content (feed dates at midnight): the `Expires`
    /// header, which the page cache honours too.
    var expires: Date?

    /// A page rendered into `body` (``Theme/page(_:_:)``).
    init(
        body: ByteBuffer, status: HTTPResponse.Status = .ok, maxAge: Int = 60, lastModified: Date? = nil,
        surrogateKeys: [String] = [], noIndex: Bool = false, expires: Date? = nil
    ) {
        self.body = body
        self.status = status
        self.maxAge = maxAge
        self.lastModified = lastModified
        self.surrogateKeys = surrogateKeys
        self.noIndex = noIndex
        self.expires = expires
    }

    /// A page rendered as text.
    init(
        html: String, status: HTTPResponse.Status = .ok, maxAge: Int = 60, lastModified: Date? = nil,
        surrogateKeys: [String] = [], noIndex: Bool = false
    ) {
        self.init(
            body: ByteBuffer(string: html), status: status, maxAge: maxAge, lastModified: lastModified,
            surrogateKeys: surrogateKeys, noIndex: noIndex)
    }

    func response(for request: Request) -> Response {
        let buffer = body
        let etag = "\"\(ContentHash.hex(buffer.readableBytesView))\""
        var headers: HTTPFields = [
            .contentType: contentType,
            .cacheControl: status == .ok ? "public, max-age=\(maxAge), stale-while-revalidate=60" : "no-cache",
            .eTag: etag,
            .vary: "Accept-Encoding",
        ]
        if let lastModified { headers[.lastModified] = HTTPDate.format(lastModified) }
        if let expires { headers[.expires] = HTTPDate.format(expires) }
        if !surrogateKeys.isEmpty {
            // "site" on every public page: a purge of "site" (the site's name or menu changed) empties a CDN.
            let surrogateKeys = surrogateKeys.contains("site") ? surrogateKeys : surrogateKeys + ["site"]
            let keys = surrogateKeys.joined(separator: " ")
            headers[.surrogateKey] = keys
            headers[HTTPField.Name("Cache-Tag")!] = surrogateKeys.joined(separator: ",")
        }
        if noIndex { headers[HTTPField.Name("X-Robots-Tag")!] = "noindex" }
        headers[.contentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; frame-src https://www.youtube-nocookie.com; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
        if status == .ok, let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }
            )
        {
            return Response(status: .notModified, headers: headers)
        }
        if request.method == .head {
            headers[.contentLength] = String(buffer.readableBytes)
            return Response(status: status, headers: headers)
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}

/// Dates in the format HTTP headers use ("Tue, 18 Jun 2024 07:15:00 GMT").
enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static let gmt = NewsDateFormatter(timeZone: .gmt, monthsGenitive: [])

    /// RFC 822's date in GMT, whose zone HTTP writes as "GMT" instead of "+0000" (worked out arithmetically: a
    /// page response writes two of these, and a `Calendar` takes microseconds for each).
    static func format(_ date: Date) -> String {
        String(gmt.rfc822(date).dropLast(5)) + "GMT"
    }

    /// Reads the format ``format(_:)`` writes (RFC 9110's IMF-fixdate); `nil` for anything else.
    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        let components = DateComponents(
            year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2])
        return Calendar.kyiv(TimeZone(identifier: "GMT")!).date(from: components)
    }
}

extension HTTPField.Name {
    /// `X-Content-Type-Options`: with `nosniff`, browsers take the content type as given.
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
