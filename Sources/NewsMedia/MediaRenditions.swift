import Foundation
import NewsCore
import NewsData

/// Makes a stored photo's renditions (``Rendition/plan(width:height:)``) from its original, stores them beside
/// it, and records them through the newsroom. The original stays as uploaded and is never served.
public struct MediaRenditions: Sendable {
    public let newsroom: Newsroom
    public let store: any MediaStore

    /// Creates a maker storing into `store`.
    public init(newsroom: Newsroom, store: any MediaStore) {
        self.newsroom = newsroom
        self.store = store
    }

    /// Makes and records every rendition of `media`; an original libvips cannot read is recorded with its error
    /// (pages then show the photo's address, which answers 404), never retried in a loop.
    /// - Returns: the renditions made.
    /// - Parameter reusing: whether a rendition already in the store is kept rather than made again (its name
    ///   stands for its original, size and focal point, so it is the same picture); `shpalta media rebuild` remakes
    ///   each file once.
    @discardableResult
    public func make(_ media: Media, reusing: @escaping @Sendable (String) -> Bool = { _ in false }, now: Date = Date())
        async throws -> [Rendition]
    {
        guard let id = media.id else { return [] }
        do {
            let (made, image, colour) = try await Self.pool.run(queueing: true) { try render(media, reusing: reusing) }
            try await newsroom.recordRenditions(
                of: id, made, width: image.width, height: image.height, colour: colour, error: nil, now: now)
            return made
        } catch let problem as ImageFile.Problem {
            try await newsroom.recordRenditions(
                of: id, [], width: media.width, height: media.height, colour: nil, error: "\(problem)", now: now)
            return []
        }
    }

    /// libvips's work, off the threads that serve pages: one photo at a time.
    static let pool = WorkPool(name: "vips", threads: 1, maxWaiting: 64)

    /// The master rendition alone (the largest JPEG of the original's shape), when a request wants the photo before
    /// the background has made the rest; stored, not recorded.
    public func master(of media: Media) async throws -> Rendition? {
        try await Self.pool.run(queueing: true) { try makeMaster(of: media) }
    }

    /// Makes the master rendition of an upload still at `source`, to be stored as `file`, decoding the whole
    /// photo: a damaged or truncated one is refused here, before anything is stored (``ImageFile/Problem``).
    /// - Returns: the master's name in the store.
    public func master(from source: URL, image: ImageFile, file: String) async throws -> String {
        try await Self.pool.run(queueing: true) {
            guard let master = Rendition.master(width: image.width, height: image.height) else {
                throw ImageFile.Problem.notAnImage
            }
            let media = Media(file: file, mimeType: image.format.mimeType, width: image.width, height: image.height)
            try write([master], of: media, from: source)
            return master.fileName(of: file, focus: .centre)
        }
    }

    private func makeMaster(of media: Media) throws -> Rendition? {
        guard let source = store.localFile(media.file) else { return nil }
        let image = try ImageFile.inspect(source)
        guard let master = Rendition.master(width: image.width, height: image.height) else { return nil }
        // Made already (at upload): the same name is the same picture.
        if !store.contains(master.fileName(of: media.file, focus: media.focus)) {
            try write([master], of: media, from: source)
        }
        return master
    }

    private func render(_ media: Media, reusing: (String) -> Bool) throws -> ([Rendition], ImageFile, String?) {
        guard let source = store.localFile(media.file) else {
            throw ImageFile.Problem.unreadable("the original \(media.file) is not in the media store")
        }
        let image = try ImageFile.inspect(source)
        let plan = Rendition.plan(width: image.width, height: image.height)
        let wanted = plan.filter { rendition in
            let name = rendition.fileName(of: media.file, focus: media.focus)
            return !(reusing(name) && store.contains(name))
        }
        try write(wanted, of: media, from: source)
        return (plan, image, try? ImageFile.averageColour(source))
    }

    /// Makes `renditions` of `media` from `source` (decoded once) and stores them under their names.
    private func write(_ renditions: [Rendition], of media: Media, from source: URL) throws {
        guard !renditions.isEmpty else { return }
        var files: [(Rendition, URL)] = []
        defer { for (_, file) in files { try? FileManager.default.removeItem(at: file) } }
        for rendition in renditions {
            let temporary = try store.temporaryFile()
            try? FileManager.default.removeItem(at: temporary)
            files.append((rendition, temporary.appendingPathExtension(rendition.format.rawValue)))
        }
        try ImageFile.render(source, files, focus: media.focus)
        for (rendition, file) in files {
            try store.put(fileAt: file, name: rendition.fileName(of: media.file, focus: media.focus))
        }
    }
}
