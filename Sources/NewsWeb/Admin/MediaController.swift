import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData

/// The newsroom's media library: recent photos (JSON for the editor) and uploads. An upload is the
/// image's bytes as the request body (JPEG, PNG or WebP, recognised by content, not by name), with its
/// alt text, caption and credit in the query.
struct MediaController {
    let web: WebEnvironment
    static let maxUploadBytes = 15 * 1_048_576

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/admin/media.json") { _, context in try await list(context) }
        router.post("/admin/media") { request, context in try await upload(request, context) }
        router.get("/admin/authors.json") { _, context in
            guard context.session != nil else { throw PageError.notFound }
            return JSONReply.ok(try await web.authors.all().map { ["id": $0.id ?? 0, "name": $0.name] })
        }
        router.get("/admin/articles.json") { request, context in
            guard context.session != nil else { throw PageError.notFound }
            let text = String((Forms.query(request, "q") ?? "").prefix(200))
            let rows = try await web.articles.lookup(text, limit: 20)
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
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxUploadBytes)
        } catch {
            return JSONReply.error(.contentTooLarge, t["error_media_too_large"])
        }
        let data = Data(buffer.readableBytesView)
        guard let probe = ImageProbe(data) else { return JSONReply.error(.unsupportedMediaType, t["error_media_type"]) }
        let name = "u-" + SessionRepository.randomToken().prefix(16).lowercased() + "." + probe.fileExtension
        try web.mediaStore.put(data, name: name)
        let media = try await web.media.insert(
            Media(
                file: name, mimeType: probe.mimeType, width: probe.width, height: probe.height,
                caption: caption.isEmpty ? nil : caption, credit: credit,
                creditURL: creditURL.isEmpty ? nil : creditURL,
                alt: alt))
        try await web.audit.record(
            "media_uploaded", user: user.id, subject: name, address: context.clientAddress, now: web.settings.clock())
        return JSONReply.ok(json(media), status: .created)
    }
}
