import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData
import Templates

/// The newsroom's media library: its pages (``addLibraryRoutes(to:)``), the photos as JSON for the editor's picker,
/// and uploads (``MediaUpload``): the image's bytes as the request body, with its alt text, caption and credit in
/// the query.
struct MediaController {
    let web: WebEnvironment
    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminMediaList) { request, context in try await list(request, context) }
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
        addLibraryRoutes(to: router)
    }

    private func json(_ media: Media) -> [String: Any] {
        // A small copy for the picker's grid, when made (the photo's own address serves a large one).
        let small = media.renditions(.original, .jpeg).first
        var object: [String: Any] = [
            "id": media.id ?? 0, "src": SiteURL.media(file: media.file).path, "width": media.width,
            "height": media.height, "alt": media.alt,
            "thumb": small.map { SiteURL.media(file: $0.fileName(of: media.file, focus: media.focus)).path }
                ?? SiteURL.media(file: media.file).path,
        ]
        if let caption = media.caption { object["caption"] = caption }
        if let credit = media.credit { object["credit"] = credit }
        if let url = media.creditURL { object["creditURL"] = url }
        return object
    }

    /// The newest photos, or those matching `q`, for the editor's picker.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard context.session != nil else { throw PageError.notFound }
        let query = String((Forms.query(request, "q") ?? "").prefix(200))
        return JSONReply.ok(try await web.media.list(matching: query, limit: 60).map(json))
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = web.theme.localization
        guard let user = context.session?.user, user.role.can(.writeDrafts) else {
            return JSONReply.error(.forbidden, t["error_403_message"])
        }
        let upload = MediaUpload(
            alt: Forms.query(request, "alt"), credit: Forms.query(request, "credit"),
            caption: Forms.query(request, "caption"), creditURL: Forms.query(request, "credit_url"))
        do {
            let media = try await upload.store(in: web, by: .member(user, address: context.clientAddress)) { file in
                try await MediaUpload.write(request.body, to: file, limit: web.settings.mediaMaxBytes)
            }
            return JSONReply.ok(json(media), status: .created)
        } catch let refusal as MediaUpload.Refusal {
            switch refusal {
            case .invalid(let problem): return JSONReply.error(.unprocessableContent, t[problem.key])
            case .tooLarge: return JSONReply.error(.contentTooLarge, t["error_media_too_large"])
            case .notAnImage: return JSONReply.error(.unsupportedMediaType, t["error_media_type"])
            case .busy: return JSONReply.error(.serviceUnavailable, t["error_busy"])
            case .damaged: return JSONReply.error(.unprocessableContent, t["error_media_damaged"])
            }
        }
    }
}
