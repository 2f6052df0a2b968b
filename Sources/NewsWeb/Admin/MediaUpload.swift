import Foundation
import NIOCore
import NewsCore
import NewsData

/// A photo upload as both doors take it (the newsroom's editor and the Admin API): the image's bytes, streamed to a
/// file and never held whole in memory, recognised by content (JPEG, PNG or WebP, never by name), with its alt
/// text, caption and credit; stored through the newsroom's use case, file and record together or neither.
struct MediaUpload: Sendable {
    /// The largest photo taken.
    static let maxBytes = 15 * 1_048_576

    var alt: String
    var credit: String
    var caption: String?
    var creditURL: String?

    /// Why an upload was refused.
    enum Refusal: Error, Equatable {
        /// A field is missing or malformed (the localisation key of its message).
        case invalid(FieldError)
        /// More than ``MediaUpload/maxBytes``.
        case tooLarge
        /// Not a JPEG, PNG or WebP image.
        case notAnImage
        /// Too many uploads are in progress.
        case busy
    }

    /// Thrown by a body writer past ``MediaUpload/maxBytes``.
    struct TooLarge: Error {}

    /// The fields as typed (whitespace and Unicode normalised; empty ones left out).
    init(alt: String?, credit: String?, caption: String?, creditURL: String?) {
        self.alt = UkrainianText.normalize(alt ?? "")
        self.credit = UkrainianText.normalize(credit ?? "")
        let caption = UkrainianText.normalize(caption ?? "")
        self.caption = caption.isEmpty ? nil : caption
        let url = (creditURL ?? "").trimmingCharacters(in: .whitespaces)
        self.creditURL = url.isEmpty ? nil : url
    }

    /// The first thing wrong with the fields, if any.
    var problem: FieldError? {
        if alt.isEmpty || alt.count > 500 { return FieldError(field: "alt", key: "error_media_alt") }
        if credit.isEmpty || credit.count > 300 { return FieldError(field: "credit", key: "error_media_credit") }
        if let caption, caption.count > 2000 { return FieldError(field: "caption", key: "error_media_caption") }
        if let creditURL, !Span.isSafeLink(creditURL) || creditURL.count > 1000 {
            return FieldError(field: "credit_url", key: "error_media_credit_url")
        }
        return nil
    }

    /// Checks the fields, lets `write` fill a temporary file with the body (throwing ``TooLarge`` past the limit),
    /// checks the bytes and stores the photo. Throws a ``Refusal`` for what the uploader can fix.
    func store(
        in web: WebEnvironment, by requester: Requester, write: (URL) async throws -> Void
    ) async throws -> Media {
        if let problem { throw Refusal.invalid(problem) }
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
        // Checked by content: the bytes are mapped from the file, not copied.
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        guard let probe = ImageProbe(data) else { throw Refusal.notAnImage }
        let name = "u-" + SessionRepository.randomToken().prefix(16).lowercased() + "." + probe.fileExtension
        let media = try await web.newsroom.addMedia(
            Media(
                file: name, mimeType: probe.mimeType, width: probe.width, height: probe.height, caption: caption,
                credit: credit, creditURL: creditURL, alt: alt), file: file, into: web.mediaStore, by: requester,
            now: web.settings.clock())
        kept = true
        return media
    }

    /// Writes `chunks` to `file` as they arrive; throws ``TooLarge`` past ``maxBytes``.
    static func write<Chunks: AsyncSequence>(_ chunks: Chunks, to file: URL) async throws
    where Chunks.Element: UploadChunk {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written = 0
        for try await chunk in chunks {
            written += chunk.byteCount
            guard written <= maxBytes else { throw TooLarge() }
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
