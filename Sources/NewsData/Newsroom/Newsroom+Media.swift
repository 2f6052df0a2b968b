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
            let shown =
                try await sql.raw(
                    """
                    SELECT 1 AS one FROM articles WHERE status = 'published' AND (cover_media_id = \(bind: id)
                    OR body LIKE \(bind: "%\"mediaID\":\(id),%") OR body LIKE \(bind: "%\"mediaID\":\(id)}%")) LIMIT 1
                    """
                ).first() != nil
            try await ChangeLog.record(
                ChangeEvent(
                    action: .mediaProcessed, source: .scheduler, userID: nil, subject: file,
                    keys: shown ? [ChangeEvent.everyPage] : [], at: now), in: sql)
        }
    }
}
