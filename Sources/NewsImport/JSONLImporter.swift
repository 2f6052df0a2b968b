import Foundation
import Logging
import NewsCore
import NewsData
import SQLKit

/// Imports articles from a JSON Lines file (one article a line; the format of the corpus generator).
///
/// A bad line is reported with its number and skipped; the rest are still imported. Re-importing the
/// same file updates the articles it created (matched by the `id` field) instead of duplicating them.
/// Articles without a slug get one made from the headline by the KMU 2010 transliteration; a taken
/// slug gets `-2`, `-3`, ….
public struct JSONLImporter: Sendable {
    let database: Database
    let mediaStore: any MediaStore
    /// Where `photo` files and `<img src>` in bodies are looked up.
    let photoDirectory: URL?
    /// When set, an article that has a photo credit but no photo gets one of these files (chosen by
    /// its id), so generated corpora look like a real paper.
    let stockPhotos: [URL]
    let batchSize: Int
    let logger: Logger

    /// Creates an importer.
    /// - Parameters:
    ///   - database: where the articles go.
    ///   - mediaStore: where photo files are copied.
    ///   - photoDirectory: the folder photo references are relative to.
    ///   - stockPhotoDirectory: a folder of images for articles that have a credit but no photo.
    ///   - batchSize: articles per transaction.
    public init(
        database: Database, mediaStore: any MediaStore, photoDirectory: String? = nil,
        stockPhotoDirectory: String? = nil, batchSize: Int = 500, logger: Logger = Logger(label: "shpalta.import")
    ) {
        self.database = database
        self.mediaStore = mediaStore
        self.photoDirectory = photoDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let stockPhotoDirectory {
            let folder = URL(fileURLWithPath: stockPhotoDirectory, isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            self.stockPhotos = names.sorted().filter {
                ["jpg", "jpeg", "png", "webp"].contains(($0 as NSString).pathExtension.lowercased())
            }
            .map { folder.appendingPathComponent($0) }
        } else {
            self.stockPhotos = []
        }
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Imports the file at `path`.
    /// - Parameter progress: called after each batch with how much of the file is read and what is done.
    public func importFile(at path: String, progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws
        -> ImportReport
    {
        // The search index merges its parts once at the end rather than all along.
        return try await SearchRepository(database: database).bulkLoad {
            try await importStories(at: path, progress: progress)
        }
    }

    private func importStories(at path: String, progress: (@Sendable (ImportProgress) -> Void)?) async throws
        -> ImportReport
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatabaseError("Cannot read the import file \(path).")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        defer { try? handle.close() }
        var report = ImportReport()
        var context = Ingest.Context()
        var batch: [(line: Int, record: JSONLRecord)] = []
        var preparing: Task<[Prepared], Never>?
        var lineNumber = 0
        for try await line in LineReader(handle: handle) {
            lineNumber += 1
            // A line of spaces is no record; JSON allows the spaces around one.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard String(validating: line, as: UTF8.self) != nil else {
                report.problems.append(ImportProblem(line: lineNumber, message: "not valid UTF-8", skipped: true))
                continue
            }
            let data = line
            do {
                batch.append((lineNumber, try JSONDecoder().decode(JSONLRecord.self, from: data)))
            } catch {
                report.problems.append(Self.problem(decoding: error, line: lineNumber))
                continue
            }
            if batch.count >= batchSize {
                // Each batch is made ready on every core while the one before it is stored.
                let next = prepare(batch)
                batch.removeAll(keepingCapacity: true)
                if let preparing {
                    try await store(await preparing.value, from: path, report: &report, context: &context)
                    progress?(
                        ImportProgress(
                            bytesRead: Int((try? handle.offset()) ?? 0), totalBytes: size, report: report))
                }
                preparing = next
            }
        }
        if let preparing { try await store(await preparing.value, from: path, report: &report, context: &context) }
        if !batch.isEmpty {
            try await store(await prepare(batch).value, from: path, report: &report, context: &context)
        }
        progress?(ImportProgress(bytesRead: size, totalBytes: size, report: report))
        report.problems.sort { $0.line < $1.line }
        return report
    }

    private static func problem(decoding error: any Error, line: Int) -> ImportProblem {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let field = context.codingPath.first?.stringValue
            return ImportProblem(line: line, field: field, message: "has the wrong type", skipped: true)
        case DecodingError.dataCorrupted:
            return ImportProblem(line: line, message: "is not valid JSON", skipped: true)
        default:
            return ImportProblem(line: line, message: "cannot be read: \(error)", skipped: true)
        }
    }

    /// A batch's records made ready for storing on every core: tidied text, parsed bodies, photo files found, the
    /// search analysis made.
    private func prepare(_ batch: [(line: Int, record: JSONLRecord)]) -> Task<[Prepared], Never> {
        Task { [self] in
            await batch.concurrentMap { item in
                Prepared(line: item.line, story: Result { try self.story(item.record, line: item.line) })
            }
        }
    }

    /// A line made ready: its story and warnings, or the problem that makes it skipped.
    private struct Prepared: Sendable {
        let line: Int
        let story: Result<(IngestStory, [ImportProblem]), any Error>
    }

    /// Stores a batch in one transaction (a line that cannot be stored is skipped, the others stay), with the
    /// batch's audit entry.
    private func store(
        _ batch: [Prepared], from path: String, report: inout ImportReport, context: inout Ingest.Context
    ) async throws {
        let start = (report, context)
        let ingest = Ingest(mediaStore: mediaStore, dryRun: false)
        let result = try await database.transaction { sql -> (ImportReport, Ingest.Context) in
            var (report, context) = start
            var lines: [Int] = []
            var stories: [IngestStory] = []
            for item in batch {
                switch item.story {
                case .success(let (story, warnings)):
                    report.problems += warnings
                    lines.append(item.line)
                    stories.append(story)
                case .failure(let error):
                    report.problems.append(Self.problem(storing: error, line: item.line))
                }
            }
            let outcomes = try await ingest.storeAll(stories, in: sql, context: &context) { index, field, message in
                report.problems.append(
                    ImportProblem(
                        line: lines[index], field: Self.recordField[field] ?? field, message: message, skipped: false))
            }
            for (line, outcome) in zip(lines, outcomes) {
                switch outcome {
                case .success(let stored): report.count(stored.change, together: stored.together)
                case .failure(let error): report.problems.append(Self.problem(storing: error, line: line))
                }
            }
            try await ingest.indexBatch(in: sql, context: &context)
            // A batch that changed nothing leaves no audit entry: importing a file again writes nothing.
            if let first = batch.first?.line, let last = batch.last?.line,
                report.created + report.updated > start.0.created + start.0.updated
            {
                try await Newsroom.recordImport(
                    file: path, lines: first...last, created: report.created - start.0.created,
                    updated: report.updated - start.0.updated, now: Date(), in: sql)
            }
            return (report, context)
        }
        (report, context) = result
    }

    /// The report's entry for a line that could not be stored.
    private static func problem(storing error: any Error, line: Int) -> ImportProblem {
        Ingest.problem(storing: error, line: line, unit: "line") { recordField[$0] ?? $0 }
    }

    /// A record as the ingest step takes it, with warnings about what of it could not be taken; throws the
    /// problem that makes the line be skipped.
    func story(_ record: JSONLRecord, line: Int) throws -> (IngestStory, [ImportProblem]) {
        var warnings: [ImportProblem] = []
        func warn(_ field: String, _ message: String) {
            warnings.append(ImportProblem(line: line, field: field, message: message, skipped: false))
        }
        let title = UkrainianText.tidy(record.title ?? "")
        guard !title.isEmpty else {
            throw ImportProblem(line: line, field: "title", message: "is missing or empty", skipped: true)
        }
        let publishedAt: Date?
        if let text = record.publishedAtUTC ?? record.publishedAt {
            guard let date = Self.parseDate(text) else {
                let field = record.publishedAtUTC != nil ? "published_at_utc" : "published_at"
                throw ImportProblem(
                    line: line, field: field, message: "is not an ISO 8601 time: \(text)", skipped: true)
            }
            publishedAt = date
        } else {
            publishedAt = nil
        }
        let status: ArticleStatus
        if let text = record.status {
            guard let parsed = ArticleStatus(rawValue: text) else {
                throw ImportProblem(
                    line: line, field: "status", message: "is not a known status: \(text)", skipped: true)
            }
            status = parsed
        } else {
            status = publishedAt == nil ? .draft : .published
        }
        if status == .published, publishedAt == nil {
            throw ImportProblem(
                line: line, field: "published_at", message: "is needed for a published article", skipped: true)
        }
        let teaser = record.teaser.map(UkrainianText.tidy).flatMap { $0.isEmpty ? nil : $0 }
        let lede = record.lede.map(UkrainianText.tidy) ?? teaser ?? ""
        let ownTeaser = record.lede == nil ? nil : teaser

        let conversion = BodyHTML.convert(record.bodyHTML ?? "")
        for note in conversion.notes { warn("body_html", note) }
        var body: [IngestBlock] = []
        for block in conversion.blocks {
            switch block {
            case .block(let block): body.append(.block(block))
            case .image(let source, let alt, let caption, let credit):
                do {
                    let file = try localPhoto(source)
                    body.append(
                        .photo(
                            IngestPhoto(
                                file: file, storeName: file.lastPathComponent, alt: alt, caption: caption,
                                credit: credit)))
                } catch let error as DatabaseError {
                    warn("body_html", error.description)
                }
            }
        }

        let credit = record.photoCredit.map(UkrainianText.tidy).flatMap { $0.isEmpty ? nil : $0 }
        var cover: IngestPhoto?
        var photoFile: URL?
        if let photo = record.photo, !photo.isEmpty {
            do {
                photoFile = try localPhoto(photo)
            } catch let error as DatabaseError {
                warn("photo", error.description)
            }
        } else if credit != nil, !stockPhotos.isEmpty {
            let number = Int(record.id ?? "") ?? abs(title.hashValue)
            photoFile = stockPhotos[number % stockPhotos.count]
        }
        if let photoFile {
            cover = IngestPhoto(
                file: photoFile, storeName: photoFile.lastPathComponent, alt: record.photoAlt ?? "",
                caption: record.photoCaption, credit: credit)
        }

        var story = IngestStory(
            sourceID: record.id.map { "jsonl:\($0)" }, title: title, slug: record.slug ?? "", lede: lede,
            teaser: ownTeaser, body: body,
            document: Ingest.document(title: title, lede: lede, teaser: ownTeaser, body: body), status: status,
            publishedAt: publishedAt)
        if let name = record.rubric, !name.isEmpty {
            story.rubric = IngestTerm(slug: record.rubricSlug, name: name)
        }
        story.tags = (record.tags ?? []).enumerated().map { index, name in
            IngestTerm(slug: record.tagSlugs.flatMap { index < $0.count ? $0[index] : nil }, name: name)
        }
        if let name = record.author.map(UkrainianText.tidy), !name.isEmpty {
            story.author = IngestAuthor(login: record.authorLogin, name: name)
        }
        story.cover = cover
        story.featured = record.featured ?? false
        story.breaking = record.breaking ?? false
        return (story, warnings)
    }

    /// The record's field for a field the newsroom's checks name.
    static let recordField = [
        "body": "body_html", "bylines": "author", "slug": "slug", "title": "title", "lede": "lede",
        "teaser": "teaser", "tags": "tags", "rubric": "rubric",
    ]

    /// The file a photo reference names, which must lie inside the photo folder: a record cannot make the
    /// importer read `../../etc/shadow` or follow a link out of the folder.
    func localPhoto(_ reference: String) throws -> URL {
        guard let photoDirectory else {
            throw DatabaseError("The photo \(reference) cannot be read: no photo folder was given.")
        }
        let folder = photoDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        let url = photoDirectory.appendingPathComponent(reference).standardizedFileURL.resolvingSymlinksInPath()
        guard url.path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw DatabaseError("The photo \(reference) lies outside the photo folder \(photoDirectory.path).")
        }
        return url
    }

    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(trimmed)
    }
}

extension ImportProblem: Error {}

/// Reads a file line by line, as bytes, without loading it whole.
struct LineReader: AsyncSequence {
    typealias Element = Data
    let handle: FileHandle

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        var buffer: [UInt8] = []
        /// Where the unread part of `buffer` starts (compacted now and then, not on every line).
        var start = 0
        var finished = false

        mutating func next() async throws -> Data? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = Data(buffer[start..<newline])
                    start = newline + 1
                    return line
                }
                if finished {
                    guard start < buffer.count else { return nil }
                    defer { start = buffer.count }
                    return Data(buffer[start...])
                }
                buffer.removeFirst(start)
                start = 0
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle) }
}
