import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData
import NewsMedia

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
            guard let name = context.parameters.get("file"), DirectoryMediaStore.isSafeName(name) else {
                throw PageError.notFound
            }
            let media = try await web.media.find(file: name)
            // A rendition (no original has its name): its name is unique to its photo, size and focal point, so it
            // is cached for a year. Renditions carry no metadata, so any stored one may be served.
            if media == nil, let rendition = Rendition.Name(name) {
                if let etag = web.mediaStore.tag(of: name) {
                    return try file(
                        { try web.mediaStore.get(name) }, type: rendition.format.mimeType, etag: etag,
                        maxAge: 31_536_000,
                        immutable: true, request: request)
                }
                // Not made (yet, or lost): the nearest one that exists, for a minute, never a broken picture.
                return try await nearest(to: rendition, request: request)
            }
            // A photo's own address never serves the original as uploaded (its EXIF may hold where it was taken):
            // it serves the master rendition, made now if the background has not made it yet.
            guard let media else { throw PageError.notFound }
            var master = media.master
            if master == nil || !web.mediaStore.contains(master!.fileName(of: media.file, focus: media.focus)) {
                master = try? await MediaRenditions(newsroom: web.newsroom, store: web.mediaStore).master(of: media)
            }
            guard let master else { throw PageError.notFound }
            let stored = master.fileName(of: media.file, focus: media.focus)
            // The ETag comes from the file's size and time, and a revalidation is answered before the file is read.
            guard let etag = web.mediaStore.tag(of: stored) else { throw PageError.notFound }
            return try file(
                { try web.mediaStore.get(stored) }, type: master.format.mimeType, etag: etag, maxAge: 604_800,
                request: request)
        }
    }

    /// The stored rendition of the same photo, shape and format whose width is nearest to the one `name` asks for;
    /// failing that, the photo's master. Cached for a minute only.
    private func nearest(to name: Rendition.Name, request: Request) async throws -> Response {
        guard let media = try await web.media.find(stem: name.stem) else { throw PageError.notFound }
        let (shape, format, width) = (name.shape, name.format, name.width)
        let candidates = (media.renditions(shape, format) + media.renditions(.original, .jpeg))
            .filter { web.mediaStore.contains($0.fileName(of: media.file, focus: media.focus)) }
        let closest = candidates.min(by: {
            ($0.shape == shape ? 0 : 1, abs($0.width - width)) < ($1.shape == shape ? 0 : 1, abs($1.width - width))
        })
        // None left at all: the master is made again from the original.
        var found = closest
        if found == nil {
            found = try await MediaRenditions(newsroom: web.newsroom, store: web.mediaStore).master(of: media)
        }
        guard let best = found else { throw PageError.notFound }
        let stored = best.fileName(of: media.file, focus: media.focus)
        guard let etag = web.mediaStore.tag(of: stored) else { throw PageError.notFound }
        return try file(
            { try web.mediaStore.get(stored) }, type: best.format.mimeType, etag: etag, maxAge: 60, request: request)
    }

    /// A file's response; `read` is called only when the client does not have the file already.
    private func file(
        _ read: () throws -> Data?, type: String, etag: String, maxAge: Int, immutable: Bool = false,
        request: Request
    ) throws -> Response {
        let tag = "\"\(etag)\""
        var headers: HTTPFields = [
            .contentType: type, .eTag: tag,
            .cacheControl: "public, max-age=\(maxAge)" + (immutable ? ", immutable" : ""),
        ]
        headers[.contentTypeOptions] = "nosniff"
        if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
        guard let data = try read() else { throw PageError.notFound }
        headers[.contentLength] = String(data.count)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
