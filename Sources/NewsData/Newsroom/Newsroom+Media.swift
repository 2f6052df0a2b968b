import Foundation
import NewsCore
import SQLKit

// Photos uploaded in the editor.
extension Newsroom {
    /// Adds a record for an upload and stores its file, all or nothing: the file is moved into place inside the
    /// record's transaction, so a failed insert leaves no file, and a failed move leaves no record. A new photo
    /// is on no page until a story that uses it is saved.
    public func addMedia(
        _ media: Media, file url: URL, into store: any MediaStore, by requester: Requester, now: Date = Date()
    ) async throws -> Media {
        if let user = requester.user, user.disabled || !user.role.can(.writeDrafts) { throw NewsroomError.forbidden }
        do {
            return try await database.transaction { sql in
                let stored = try await MediaRepository.insert(media, in: sql)
                try await ChangeLog.record(
                    ChangeEvent(
                        action: .mediaUploaded, source: requester.source, userID: requester.user?.id,
                        subject: media.file, address: requester.address, at: now), in: sql)
                try store.put(fileAt: url, name: media.file)
                return stored
            }
        } catch {
            store.remove(media.file)
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    /// Edits photo `id`'s caption, credit, alt text and focal point, for every story that shows it. Anyone who writes
    /// may edit a photo that is on no published story; one that readers see needs someone who may edit any story.
    /// A new focal point means new crops: the photo waits for its renditions again (pages use the original's
    /// address meanwhile, and the sizes that are not crops are reused). `focus` is nil when what was typed is not a
    /// point (refused with the other fields' problems, after the permission check).
    @discardableResult
    public func changeMedia(
        id: Int64, details: MediaDetails, focus: FocalPoint?, by requester: Requester, now: Date = Date()
    ) async throws -> Media {
        if let user = requester.user, user.disabled || !user.role.can(.writeDrafts) { throw NewsroomError.forbidden }
        return try await database.transaction { sql in
            guard
                var media = try await sql.raw("SELECT \(Columns.media) FROM media m WHERE m.id = \(bind: id)").first()?
                    .media()
            else { throw NewsroomError.notFound }
            let shown = try await MediaRepository.isShownPublished(id, in: sql)
            if shown, let user = requester.user, !user.role.can(.editAnyArticle) { throw NewsroomError.forbidden }
            let problems =
                details.problems + (focus == nil ? [FieldError(field: "focus", key: "error_media_focus")] : [])
            guard let focus, problems.isEmpty else { throw NewsroomError.invalid(problems) }
            let refocused = media.focus.code != focus.code
            media.details = details
            media.focus = focus
            var update: SQLQueryString = """
                UPDATE media SET caption = \(bind: media.caption), credit = \(bind: media.credit),
                credit_url = \(bind: media.creditURL), alt = \(bind: media.alt), focal_x = \(bind: focus.x),
                focal_y = \(bind: focus.y), search_text = \(bind: MediaRepository.searchText(media))
                """
            if refocused {
                update += ", renditions = NULL, rendition_error = NULL, rendition_claim = NULL"
                media.renditions = []
            }
            update += " WHERE id = \(bind: id)"
            let statement = update
            try await sql.raw(statement).run()
            try await ChangeLog.record(
                ChangeEvent(
                    action: .mediaChanged, source: requester.source, userID: requester.user?.id, subject: media.file,
                    address: requester.address, keys: shown ? [ChangeEvent.everyPage] : [], at: now), in: sql)
            return media
        }
    }

    /// Records the renditions made of photo `id` (with its upright size and average colour), or why none could be
    /// made. Pages that show the photo change (their `srcset`), so the stories that use it are named in the event.
    public func recordRenditions(
        of id: Int64, _ renditions: [Rendition], width: Int, height: Int, colour: String?, error: String?,
        now: Date = Date()
    ) async throws {
        try await database.transaction { sql in
            guard
                let file = try await sql.raw("SELECT file FROM media WHERE id = \(bind: id)").first()?.decode(
                    column: "file", as: String.self)
            else { throw NewsroomError.notFound }
            try await sql.raw(
                """
                UPDATE media SET renditions = \(bind: Rendition.encode(renditions)), rendition_error = \(bind: error),
                width = \(bind: width), height = \(bind: height), colour = \(bind: colour) WHERE id = \(bind: id)
                """
            ).run()
            // A published story that shows the photo, as its cover or in its body: its pages change everywhere
            // (feeds show covers), so every page is made again; a photo on no public page changes none.
            let shown = try await MediaRepository.isShownPublished(id, in: sql)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .mediaProcessed, source: .scheduler, userID: nil, subject: file,
                    keys: shown ? [ChangeEvent.everyPage] : [], at: now), in: sql)
        }
    }
}
