import Foundation
import HTTPTypes
import Hummingbird

/// Guards the door: refuses over-long URLs (414) and broken percent-encoding (400), and sends a
/// trailing-slash or upper-case variant of a page's address to its canonical form (301), keeping the
/// query.
struct CanonicalURLMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maxPathBytes: Int { 1024 }
    static var maxQueryBytes: Int { 2048 }
    static var maxLongQueryBytes: Int { 64 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let query = request.uri.query ?? ""
        // Search takes whatever a reader types (it reads only the first 500 characters, and treats
        // text it cannot decode as nothing); a photo's upload carries its alt text, credit and caption (up to 2,000
        // characters, 12 bytes each once encoded); every other page has short, well-formed queries.
        let isSearch = path == SiteURL.search.path
        let isUpload = path == SiteURL.adminMedia.path || path == SiteURL.apiMedia.path
        guard path.utf8.count <= Self.maxPathBytes,
            query.utf8.count <= (isSearch || isUpload ? Self.maxLongQueryBytes : Self.maxQueryBytes)
        else {
            throw PageError.tooLong
        }
        // A backslash is no part of any address here, and a redirect that echoed one would send browsers to another
        // site ("/\\evil.example" reads as "//evil.example").
        guard Self.isValidEncoding(path), isSearch || Self.isValidEncoding(query), !path.contains("\\"),
            !path.lowercased().contains("%5c")
        else { throw PageError.badPath }
        // Files keep their case; the API's addresses are exactly those of its document (no redirects for programs).
        let isFile = path.hasPrefix("/static/") || path.hasPrefix("/media/")
        guard !path.hasPrefix("/api/") else { return try await next(request, context) }
        var canonical = path
        if !isFile { canonical = canonical.lowercased() }
        while canonical.count > 1, canonical.hasSuffix("/") { canonical.removeLast() }
        while canonical.contains("//") { canonical = canonical.replacingOccurrences(of: "//", with: "/") }
        if canonical != path, request.method == .get || request.method == .head {
            let location = canonical + (query.isEmpty ? "" : "?" + query)
            return Response(
                status: .movedPermanently, headers: [.location: location, .cacheControl: "public, max-age=3600"])
        }
        return try await next(request, context)
    }

    /// Whether every `%` starts a valid escape and the decoded bytes are UTF-8.
    static func isValidEncoding(_ text: String) -> Bool {
        guard text.contains("%") else { return true }
        let form = text.replacingOccurrences(of: "+", with: " ")
        return form.removingPercentEncoding != nil
    }
}
