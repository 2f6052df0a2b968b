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
            return file(asset.data, type: asset.contentType, etag: asset.hash, maxAge: 31_536_000, request: request)
        }
        router.get(SiteURL.Pattern.media) { request, context in
            guard let name = context.parameters.get("file"), DirectoryMediaStore.isSafeName(name),
                try await web.media.isKnown(file: name), let data = try web.mediaStore.get(name),
                let probe = ImageProbe(data)
            else { throw PageError.notFound }
            return file(data, type: probe.mimeType, etag: ContentHash.hex(data), maxAge: 604_800, request: request)
        }
    }

    private func file(_ data: Data, type: String, etag: String, maxAge: Int, request: Request) -> Response {
        let tag = "\"\(etag)\""
        var headers: HTTPFields = [
            .contentType: type, .eTag: tag, .cacheControl: "public, max-age=\(maxAge)",
        ]
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(data.count)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
