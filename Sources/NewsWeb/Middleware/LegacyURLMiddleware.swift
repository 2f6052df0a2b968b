import HTTPTypes
import Hummingbird
import NewsCore
import NewsData

/// Keeps the addresses of the site a paper came from working: an old permalink, a WordPress `?p=12` link, an old
/// category, tag or author archive answers with a permanent redirect to where the story or page is now (recorded
/// by the import in `legacy_urls`). The table is read only for requests no page of ours answers (a 404), for the
/// home page with a WordPress item query, and for addresses that are not in our canonical form (a trailing slash,
/// capitals, percent-encoding), which WordPress's permalinks are; so our own pages never wait for it, and an old
/// link takes one redirect, not two.
struct LegacyURLMiddleware<Context: RequestContext>: RouterMiddleware {
    let web: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head, !request.uri.path.hasPrefix("/api/"),
            !request.uri.path.hasPrefix("/admin"),
            request.uri.path.utf8.count <= CanonicalURLMiddleware<Context>.maxPathBytes
        else {
            return try await next(request, context)
        }
        let path = request.uri.path
        if path == "/" {
            if let key = LegacyURL.key(query: request.uri.query), let moved = try await redirect(key) { return moved }
            return try await next(request, context)
        }
        // The old address's key is worked out only when it may be needed: a request for a page that exists and is
        // written as our addresses are never needs it.
        if Self.mayBeLegacy(path), let moved = try await redirect(LegacyURL.normalize(path: path)) {
            return moved
        }
        do {
            let response = try await next(request, context)
            if response.status == .notFound, let moved = try await redirect(LegacyURL.normalize(path: path)) {
                return moved
            }
            return response
        } catch let error as any HTTPResponseError where error.status == .notFound {
            if let moved = try await redirect(LegacyURL.normalize(path: path)) { return moved }
            throw error
        }
    }

    /// Whether `path` is written as none of our addresses is (a trailing slash, percent-escapes, capitals), so that
    /// it is looked up among the old addresses before any page: the bytes are read as bytes, and only a path with
    /// letters beyond ASCII is read as characters.
    static func mayBeLegacy(_ path: String) -> Bool {
        var beyondASCII = false
        for byte in path.utf8 {
            if byte == UInt8(ascii: "%") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { return true }
            if byte >= 0x80 { beyondASCII = true }
        }
        return path.hasSuffix("/") || (beyondASCII && path.contains(where: \.isUppercase))
    }

    private func redirect(_ key: String) async throws -> Response? {
        guard let target = try await web.newsroom.legacyTarget(key) else { return nil }
        let location: String
        switch target {
        case .article(let slug): location = SiteURL.article(slug: slug).path
        case .rubric(let slug): location = SiteURL.rubric(slug: slug).path
        case .tag(let slug): location = SiteURL.tag(slug: slug).path
        case .author(let slug): location = SiteURL.author(slug: slug).path
        }
        return Response(
            status: .movedPermanently, headers: [.location: location, .cacheControl: "public, max-age=3600"])
    }
}
