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
}
