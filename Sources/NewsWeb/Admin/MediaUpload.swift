import Foundation
import NIOCore
import NewsCore
import NewsData
import NewsMedia

/// A photo upload as both doors take it (the newsroom's editor and the Admin API): the image's bytes, streamed to a
/// file and never held whole in memory, recognised by content by libvips (JPEG, PNG, WebP, GIF or AVIF, never by
/// name; a decompression bomb is refused from its header), with its alt text, caption and credit; stored through
/// the newsroom's use case, file and record together or neither. Its renditions follow in the background
/// (``RenditionService``).
struct MediaUpload: Sendable {
    var details: MediaDetails

    /// Why an upload was refused.
    enum Refusal: Error, Equatable {
        /// A field is missing or malformed (the localisation key of its message).
        case invalid(FieldError)
        /// More than the configured size (``AppSettings/mediaMaxBytes``).
        case tooLarge
        /// Not a JPEG, PNG, WebP, GIF or AVIF image, or more pixels than a photo has.
        case notAnImage
        /// Too many uploads are in progress.
        case busy
        /// Truncated or damaged: libvips could not decode it.
        case damaged
    }

    /// Thrown by a body writer past its limit.
    struct TooLarge: Error {}

    /// The fields as typed (normalised as ``MediaDetails`` does).
    init(alt: String?, credit: String?, caption: String?, creditURL: String?) {
        details = MediaDetails(alt: alt, credit: credit, caption: caption, creditURL: creditURL)
    }

    /// Checks the fields, lets `write` fill a temporary file with the body (throwing ``TooLarge`` past the limit),
    /// checks the bytes and stores the photo. Throws a ``Refusal`` for what the uploader can fix.
    func store(
        in web: WebEnvironment, by requester: Requester, write: (URL) async throws -> Void
    ) async throws -> Media {
        if let problem = details.problems.first { throw Refusal.invalid(problem) }
        guard web.uploads.enter() else { throw Refusal.busy }
        defer { web.uploads.leave() }
        let file = try web.mediaStore.temporaryFile()
        var kept = false
        defer { if !kept { try? FileManager.default.removeItem(at: file) } }
        do {
            try await write(file)
        } catch is TooLarge {
            throw Refusal.tooLarge
        }
        // Checked by content, from the header only: nothing is decoded yet.
        let image: ImageFile
        do {
            image = try ImageFile.inspect(file)
        } catch is ImageFile.Problem {
            throw Refusal.notAnImage
        }
        let name = "u-" + SessionRepository.randomToken().prefix(16).lowercased() + "." + image.format.fileExtension
        // The master rendition now (the photo's own address serves it at once), which decodes the whole photo:
        // a truncated or damaged one is refused before anything is stored. The other sizes follow in the
        // background.
        let master: String
        do {
            master = try await MediaRenditions(newsroom: web.newsroom, store: web.mediaStore).master(
                from: file, image: image, file: name)
        } catch is ImageFile.Problem {
            throw Refusal.damaged
        }
        let media: Media
        do {
            media = try await web.newsroom.addMedia(
                Media(
                    file: name, mimeType: image.format.mimeType, width: image.width, height: image.height,
                    caption: details.caption, credit: details.credit, creditURL: details.creditURL, alt: details.alt),
                file: file,
                into: web.mediaStore, by: requester, now: web.settings.clock())
        } catch {
            web.mediaStore.remove(master)
            throw error
        }
        kept = true
        return media
    }

    /// Writes `chunks` to `file` as they arrive; throws ``TooLarge`` past `limit` bytes.
    static func write<Chunks: AsyncSequence>(_ chunks: Chunks, to file: URL, limit: Int) async throws
    where Chunks.Element: UploadChunk {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written = 0
        for try await chunk in chunks {
            written += chunk.byteCount
            guard written <= limit else { throw TooLarge() }
            try chunk.write(to: handle)
        }
    }
}

/// A piece of an upload's body, as the HTTP server (`ByteBuffer`) or the API's generated code (`ArraySlice`)
/// hands it over.
protocol UploadChunk {
    var byteCount: Int { get }
    func write(to handle: FileHandle) throws
}

extension ByteBuffer: UploadChunk {
    var byteCount: Int { readableBytes }
    func write(to handle: FileHandle) throws { try handle.write(contentsOf: readableBytesView) }
}

extension ArraySlice: UploadChunk where Element == UInt8 {
    var byteCount: Int { count }
    func write(to handle: FileHandle) throws { try handle.write(contentsOf: self) }
}
