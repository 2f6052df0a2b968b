import Foundation
import HTTPTypes
import NewsCore
import NewsData
import OpenAPIRuntime

// The Admin API's photos: the media library, newest first (searched as the newsroom's is), uploads through the same
// checks and use case as the editor's (``MediaUpload``), and changes through the library's use case.
extension ContentAPI {
    func adminListMedia(_ input: Operations.AdminListMedia.Input) async throws -> Operations.AdminListMedia.Output {
        _ = try APIMember.required()
        let limit = try Self.limit(input.query.limit, max: 100)
        var before: Int64?
        if let cursor = input.query.cursor {
            guard cursor.utf8.count <= 18, cursor.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let id = Int64(cursor)
            else { throw APIError.cursor }
            before = id
        }
        if let query = input.query.q, !(1...200).contains(query.unicodeScalars.count) { throw APIError.parameter("q") }
        let media = try await web.media.list(matching: input.query.q, before: before, limit: limit + 1)
        let page = Array(media.prefix(limit))
        let representation = try await self.representation(fields: nil, include: nil)
        return .ok(
            .init(
                body: .json(
                    .init(
                        media: page.map { representation.photo($0) },
                        nextCursor: media.count > limit ? page.last?.id.map(String.init) : nil))))
    }

    func adminUploadMedia(_ input: Operations.AdminUploadMedia.Input) async throws
        -> Operations.AdminUploadMedia.Output
    {
        let member = try APIMember.required()
        guard member.user.role.can(.writeDrafts) else { throw NewsroomError.forbidden }
        let query = input.query
        // The document's lengths, which the generated code leaves to us (in code points, as JSON Schema counts).
        for (name, value, limit) in [
            ("alt", query.alt, 500), ("credit", query.credit, 300), ("caption", query.caption ?? "x", 2000),
            ("credit_url", query.creditUrl ?? "x", 1000),
        ] where !(1...limit).contains(value.unicodeScalars.count) {
            throw APIError.parameter(name)
        }
        let body: HTTPBody
        switch input.body {
        case .jpeg(let bytes), .png(let bytes), .imageWebp(let bytes), .imageGif(let bytes), .imageAvif(let bytes):
            body = bytes
        }
        let upload = MediaUpload(
            alt: query.alt, credit: query.credit, caption: query.caption, creditURL: query.creditUrl)
        do {
            let media = try await upload.store(in: web, by: member.requester) { file in
                try await MediaUpload.write(body, to: file, limit: web.settings.mediaMaxBytes)
            }
            let representation = try await self.representation(fields: nil, include: nil)
            return .created(.init(body: .json(.init(media: representation.photo(media)))))
        } catch let refusal as MediaUpload.Refusal {
            switch refusal {
            case .invalid(let problem):
                throw APIError(
                    status: .unprocessableContent, code: .invalid, messageKey: "api_error_invalid", fields: [problem])
            case .tooLarge:
                throw APIError(status: .contentTooLarge, code: .tooLarge, messageKey: "error_media_too_large")
            case .notAnImage:
                throw APIError(status: .unsupportedMediaType, code: .unsupportedType, messageKey: "error_media_type")
            case .busy: throw APIError.busy
            case .damaged:
                throw APIError(
                    status: .unprocessableContent, code: .invalid, messageKey: "api_error_invalid",
                    fields: [FieldError(field: "body", key: "error_media_damaged")])
            }
        }
    }

    func adminChangeMedia(_ input: Operations.AdminChangeMedia.Input) async throws
        -> Operations.AdminChangeMedia.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        guard let current = try await web.media.find(id: input.path.id) else { throw APIError.noItem }
        var focus = current.focus
        if let point = body.focus {
            guard (0...1).contains(point.x), (0...1).contains(point.y) else { throw APIError.parameter("focus") }
            focus = FocalPoint(x: point.x, y: point.y)
        }
        // Fields left out keep their values; an empty caption or credit address removes it.
        let details = MediaDetails(
            alt: body.alt ?? current.alt, credit: body.credit ?? current.credit,
            caption: body.caption ?? current.caption, creditURL: body.creditUrl ?? current.creditURL)
        let media = try await Self.orNoItem {
            try await web.newsroom.changeMedia(
                id: input.path.id, details: details, focus: focus, by: member.requester, now: web.settings.clock())
        }
        try await web.changes.drain()
        let representation = try await self.representation(fields: nil, include: nil)
        return .ok(.init(body: .json(.init(media: representation.photo(media)))))
    }
}
