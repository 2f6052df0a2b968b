import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData

/// Serves the theme's static files and stored photos, with long-lived caching and ETags.
struct FileController<Context: RequestContext> {
    let web: WebEnvironment

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.asset) { request, context in
            guard let name = context.parameters.get("file"), let asset = web.theme.assets[name] else {
                throw PageError.notFound
            }
            return try file(
                { asset.data }, type: asset.contentType, etag: asset.hash, maxAge: 31_536_000, request: request)
        }
        router.get(SiteURL.Pattern.media) { request, context in
            // The ETag comes from the file's size and time, and a revalidation is answered before the file is read.
            guard let name = context.parameters.get("file"), DirectoryMediaStore.isSafeName(name),
                let type = try await web.media.mimeType(file: name), let etag = web.mediaStore.tag(of: name)
            else { throw PageError.notFound }
            return try file(
                { try web.mediaStore.get(name) }, type: type, etag: etag, maxAge: 604_800, request: request)
        }
    }

    /// A file's response; `read` is called only when the client does not have the file already.
    private func file(
        _ read: () throws -> Data?, type: String, etag: String, maxAge: Int, request: Request
    ) throws -> Response {
        let tag = "\"\(etag)\""
        var headers: HTTPFields = [
            .contentType: type, .eTag: tag, .cacheControl: "public, max-age=\(maxAge)",
        ]
        headers[.contentTypeOptions] = "nosniff"
        if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
        guard let data = try read() else { throw PageError.notFound }
        headers[.contentLength] = String(data.count)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
