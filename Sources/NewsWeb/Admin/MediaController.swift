import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData
import Templates

/// The newsroom's media library: recent photos (JSON for the editor) and uploads. An upload is the
/// image's bytes as the request body (JPEG, PNG or WebP, recognised by content, not by name), with its
/// alt text, caption and credit in the query.
struct MediaController {
    let web: WebEnvironment
    static let maxUploadBytes = 15 * 1_048_576
    struct UploadTooLarge: Error {}

    /// Writes a request body to `file` as it arrives; throws ``UploadTooLarge`` past `limit` bytes.
    static func write(_ body: RequestBody, to file: URL, limit: Int) async throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written = 0
        for try await buffer in body {
            written += buffer.readableBytes
            guard written <= limit else { throw UploadTooLarge() }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
    }

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminMediaList) { _, context in try await list(context) }
        router.upload(SiteURL.Pattern.adminMedia) { request, context in try await upload(request, context) }
        router.get(SiteURL.Pattern.adminAuthorList) { _, context in
            guard context.session != nil else { throw PageError.notFound }
            return JSONReply.ok(try await web.authors.all().map { ["id": $0.id ?? 0, "name": $0.name] })
        }
        router.get(SiteURL.Pattern.adminArticleLookup) { request, context in
            guard let user = context.session?.user else { throw PageError.notFound }
            let text = String((Forms.query(request, "q") ?? "").prefix(200))
            // Only what this member may open, and published stories (for "read also").
            let rows = try await web.articles.lookup(text, for: user, limit: 20)
            return JSONReply.ok(rows.map { ["id": $0.id, "title": $0.title, "status": $0.status.rawValue] })
        }
    }

    private func json(_ media: Media) -> [String: Any] {
        var object: [String: Any] = [
            "id": media.id ?? 0, "src": SiteURL.media(file: media.file).path, "width": media.width,
            "height": media.height, "alt": media.alt,
        ]
        if let caption = media.caption { object["caption"] = caption }
        if let credit = media.credit { object["credit"] = credit }
        if let url = media.creditURL { object["creditURL"] = url }
        return object
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        guard context.session != nil else { throw PageError.notFound }
        return JSONReply.ok(try await web.media.recent().map(json))
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let user = context.session?.user, user.role.can(.writeDrafts) else {
            return JSONReply.error(.forbidden, web.theme.localization["error_403_message"])
        }
        let t = web.theme.localization
        let alt = UkrainianText.normalize(Forms.query(request, "alt") ?? "")
        let credit = UkrainianText.normalize(Forms.query(request, "credit") ?? "")
        let caption = UkrainianText.normalize(Forms.query(request, "caption") ?? "")
        let creditURL = (Forms.query(request, "credit_url") ?? "").trimmingCharacters(in: .whitespaces)
        guard !alt.isEmpty, alt.count <= 500 else {
            return JSONReply.error(.unprocessableContent, t["error_media_alt"])
        }
        guard !credit.isEmpty, credit.count <= 300 else {
            return JSONReply.error(.unprocessableContent, t["error_media_credit"])
        }
        guard creditURL.isEmpty || (Span.isSafeLink(creditURL) && creditURL.count <= 1000) else {
            return JSONReply.error(.unprocessableContent, t["error_media_credit_url"])
        }
        // The body streams to a file, never whole into memory, and only a few uploads run at once.
        guard web.uploads.enter() else { return JSONReply.error(.serviceUnavailable, t["error_busy"]) }
        defer { web.uploads.leave() }
        let file = try web.mediaStore.temporaryFile()
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(at: file) } }
        do {
            try await Self.write(request.body, to: file, limit: Self.maxUploadBytes)
        } catch is UploadTooLarge {
            return JSONReply.error(.contentTooLarge, t["error_media_too_large"])
        }
        // Checked by content: the bytes are mapped from the file, not copied.
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        guard let probe = ImageProbe(data) else { return JSONReply.error(.unsupportedMediaType, t["error_media_type"]) }
        let name = "u-" + SessionRepository.randomToken().prefix(16).lowercased() + "." + probe.fileExtension
        let media = try await web.newsroom.addMedia(
            Media(
                file: name, mimeType: probe.mimeType, width: probe.width, height: probe.height,
                caption: caption.isEmpty ? nil : caption, credit: credit,
                creditURL: creditURL.isEmpty ? nil : creditURL,
                alt: alt), file: file, into: web.mediaStore, by: .member(user, address: context.clientAddress),
            now: web.settings.clock())
        keep = true
        return JSONReply.ok(json(media), status: .created)
    }
}
