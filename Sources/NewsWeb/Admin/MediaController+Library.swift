import Foundation
import HTTPTypes
import Hummingbird
import NewsCore
import NewsData
import Templates

// The media library's pages: every photo, newest first, searched by caption, credit, alt text and file name; one
// photo with the stories that show it, and its caption, credit, alt text and focal point to edit.
extension MediaController {
    /// The photo form. The focal point is in percent of the width and height (the picker fills it on a click).
    struct PhotoForm: Decodable, Sendable {
        var alt: String?
        var caption: String?
        var credit: String?
        var creditURL: String?
        var focalX: String?
        var focalY: String?

        private enum CodingKeys: String, CodingKey {
            case alt, caption, credit
            case creditURL = "credit_url"
            case focalX = "focal_x"
            case focalY = "focal_y"
        }

        var details: MediaDetails { MediaDetails(alt: alt, credit: credit, caption: caption, creditURL: creditURL) }

        /// The focal point typed, `nil` when a value is not a number from 0 to 100.
        var focus: FocalPoint? {
            func fraction(_ text: String?) -> Double? {
                let typed = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
                guard let value = Double(typed), value.isFinite, (0...100).contains(value) else { return nil }
                return value / 100
            }
            guard let x = fraction(focalX), let y = fraction(focalY) else { return nil }
            return FocalPoint(x: x, y: y)
        }
    }

    static let pageSize = 48

    func addLibraryRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminMedia) { request, context in try await library(request, context) }
        router.get(SiteURL.Pattern.adminMediaItem) { request, context in try await photo(request, context) }
        router.post(SiteURL.Pattern.adminMediaItem, form: PhotoForm.self) { request, context, form in
            try await savePhoto(form, request, context)
        }
    }

    func library(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        let query = String((Forms.query(request, "q") ?? "").prefix(200))
        let before = Forms.query(request, "before").flatMap { Int64($0) }
        let found = try await web.media.list(matching: query, before: before, limit: Self.pageSize + 1)
        let shown = Array(found.prefix(Self.pageSize))
        let view = try await web.view()
        var data: TemplateObject = [
            "q": .string(query),
            "items": .list(
                shown.map { media in
                    var item: TemplateValue = [
                        "url": .string(SiteURL.adminMediaItem(id: media.id ?? 0).path), "photo": view.media(media),
                        "file": .string(media.file), "size": .string("\(media.width) × \(media.height)"),
                        "noAlt": .bool(media.alt.isEmpty), "noCredit": .bool((media.credit ?? "").isEmpty),
                    ]
                    if let caption = media.caption { item["caption"] = .string(caption) }
                    if let credit = media.credit { item["credit"] = .string(credit) }
                    return item
                }),
            "empty": .bool(shown.isEmpty),
        ]
        // The upload form (with JavaScript: the photo's bytes are the request's body), for those who may write.
        if session.user.role.can(.writeDrafts) {
            data["upload"] = [
                "url": .string(SiteURL.adminMedia.path), "photo": .string(SiteURL.adminMedia.path + "/"),
                "limitMB": .int(web.settings.mediaMaxBytes / 1_048_576),
            ]
        }
        if found.count > Self.pageSize, let last = shown.last?.id {
            var more = URLComponents()
            more.path = SiteURL.adminMedia.path
            more.queryItems =
                (query.isEmpty ? [] : [URLQueryItem(name: "q", value: query)])
                + [URLQueryItem(name: "before", value: String(last))]
            data["more"] = .string(more.string ?? SiteURL.adminMedia.path)
        }
        return try await NewsroomPage(web: web).render(
            request, session, template: "admin/media", titleKey: "admin_media_title", data: data)
    }

    func photo(
        _ request: Request, _ context: AppRequestContext, form: PhotoForm? = nil, problems: [FieldError] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        guard let id = context.parameters.get("id", as: Int64.self), let media = try await web.media.find(id: id)
        else { throw PageError.notFound }
        let view = try await web.view()
        let t = view.t
        let usages = try await web.media.usages(of: id)
        let published = usages.contains { $0.status == .published }
        let canEdit = !session.user.disabled && (!published || session.user.role.can(.editAnyArticle))
        var data: TemplateObject = [
            "photo": view.media(media), "file": .string(media.file), "mime": .string(media.mimeType),
            "size": .string("\(media.width) × \(media.height)"), "action": .string(SiteURL.adminMediaItem(id: id).path),
            "back": .string(SiteURL.adminMedia.path), "canEdit": .bool(canEdit), "awaiting": .bool(media.master == nil),
            "alt": .string(form?.alt ?? media.alt), "caption": .string(form?.caption ?? media.caption ?? ""),
            "credit": .string(form?.credit ?? media.credit ?? ""),
            "creditURL": .string(form?.creditURL ?? media.creditURL ?? ""),
            "focalX": .string(form?.focalX ?? Self.percent(media.focus.x)),
            "focalY": .string(form?.focalY ?? Self.percent(media.focus.y)),
            "crops": .list(
                [(Rendition.Shape.wide, "16:9"), (.standard, "4:3"), (.square, "1:1")].compactMap { shape, label in
                    let crops = media.renditions(shape, .jpeg)
                    guard let crop = crops.first(where: { $0.width >= 320 }) ?? crops.last else { return nil }
                    return [
                        "label": .string(label), "src": .string(view.address(of: crop, of: media)),
                        "width": .int(crop.width), "height": .int(crop.height), "shape": .string(shape.rawValue),
                    ]
                }),
            "usages": .list(
                usages.map { usage in
                    var row: TemplateValue = [
                        "title": .string(usage.title), "status": .string(usage.status.rawValue),
                        "statusLabel": .string(t["status_" + usage.status.rawValue]),
                        "editURL": .string(SiteURL.adminArticle(id: usage.articleID).path),
                    ]
                    if usage.status == .published {
                        row["publicURL"] = .string(SiteURL.article(slug: usage.slug).path)
                    }
                    return row
                }),
        ]
        if !problems.isEmpty {
            var fieldErrors: TemplateValue = [:]
            for problem in problems where fieldErrors[problem.field] == nil {
                fieldErrors[problem.field] = .string(t[problem.key])
            }
            data["fieldErrors"] = fieldErrors
            data["error"] = .string(t.messages(problems))
        }
        if !canEdit { data["readOnlyReason"] = .string(t["admin_media_read_only"]) }
        return try await NewsroomPage(web: web).render(
            request, session, template: "admin/media-photo", titleKey: "admin_media_photo", data: data, status: status)
    }

    func savePhoto(_ form: PhotoForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PageError.notFound }
        do {
            try await web.newsroom.changeMedia(
                id: id, details: form.details, focus: form.focus,
                by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
        } catch NewsroomError.invalid(let problems) {
            return try await photo(request, context, form: form, problems: problems, status: .unprocessableContent)
        } catch NewsroomError.notFound {
            throw PageError.notFound
        } catch NewsroomError.forbidden {
            throw PageError.forbidden
        }
        // The pages that show the photo are made again before the editor sees them.
        try await web.changes.drain()
        return Forms.seeOther(SiteURL.adminMediaItem(id: id).path + "?notice=media_saved")
    }

    /// A fraction as a percentage for the form ("50", "37.5").
    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}
