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
    /// - Parameter progress: called after each batch with the number of lines read so far.
    public func importFile(at path: String, progress: (@Sendable (Int) -> Void)? = nil) async throws -> ImportReport {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatabaseError("Cannot read the import file \(path).")
        }
        defer { try? handle.close() }
        var report = ImportReport()
        var context = Context()
        var batch: [(line: Int, record: JSONLRecord)] = []
        var lineNumber = 0
        for try await line in LineReader(handle: handle) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let data = trimmed.data(using: .utf8) else {
                report.problems.append(ImportProblem(line: lineNumber, message: "not valid UTF-8", skipped: true))
                continue
            }
            do {
                batch.append((lineNumber, try JSONDecoder().decode(JSONLRecord.self, from: data)))
            } catch {
                report.problems.append(Self.problem(decoding: error, line: lineNumber))
                continue
            }
            if batch.count >= batchSize {
                try await store(batch, from: path, report: &report, context: &context)
                batch.removeAll(keepingCapacity: true)
                progress?(lineNumber)
            }
        }
        if !batch.isEmpty { try await store(batch, from: path, report: &report, context: &context) }
        progress?(lineNumber)
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

    /// Ids of rows already created during this import, so each is looked up once.
    private struct Context: Sendable {
        var rubrics: [String: Int64] = [:]
        var tags: [String: Int64] = [:]
        var authors: [String: Int64] = [:]
        var storedFiles: [String: ImageProbe] = [:]
    }

    /// Stores a batch in one transaction, each line in a savepoint of its own (a bad line is skipped, the others
    /// stay), with the batch's audit entry.
    private func store(
        _ batch: [(line: Int, record: JSONLRecord)], from path: String, report: inout ImportReport,
        context: inout Context
    ) async throws {
        let start = (report, context)
        // What needs no database (normalised text, parsed body, search analysis) is made on every core first.
        let prepared = await batch.map(\.record).concurrentMap { PreparedRecord($0) }
        let result = try await database.transaction { [self] sql -> (ImportReport, Context) in
            var (report, context) = start
            for (index, item) in batch.enumerated() {
                do {
                    let created = try await Database.savepoint("line\(index)", in: sql) {
                        try await self.store(
                            item.record, prepared: prepared[index], line: item.line, in: sql, report: &report,
                            context: &context)
                    }
                    if created { report.created += 1 } else { report.updated += 1 }
                } catch let problem as ImportProblem {
                    report.problems.append(problem)
                } catch {
                    report.problems.append(
                        ImportProblem(line: item.line, message: "could not be stored: \(error)", skipped: true))
                }
            }
            if let first = batch.first?.line, let last = batch.last?.line {
                try await Newsroom.recordImport(
                    file: path, lines: first...last, created: report.created - start.0.created,
                    updated: report.updated - start.0.updated, now: Date(), in: sql)
            }
            return (report, context)
        }
        (report, context) = result
    }

    /// A record's text as it will be stored, its parsed body and the search analysis of that text: all that can
    /// be made of it without the database.
    struct PreparedRecord: Sendable {
        var title: String
        var lede: String
        /// The teaser stored beside the lede (only when the record has a lede of its own).
        var teaser: String?
        var body: [ImportedBlock]
        /// What the body's conversion removed or kept as HTML.
        var bodyNotes: [String]
        /// The analysis of title, lede, teaser and body (photos add no text to it).
        var document: SearchDocument

        init(_ record: JSONLRecord) {
            title = UkrainianText.tidy(record.title ?? "")
            let teaser = record.teaser.map(UkrainianText.tidy).flatMap { $0.isEmpty ? nil : $0 }
            lede = record.lede.map(UkrainianText.tidy) ?? teaser ?? ""
            self.teaser = record.lede == nil ? nil : teaser
            let conversion = BodyHTML.convert(record.bodyHTML ?? "")
            body = conversion.blocks
            bodyNotes = conversion.notes
            let text: [Block] = body.compactMap { if case .block(let block) = $0 { block } else { nil } }
            document = SearchDocument(
                id: 0, title: title, lede: lede, teaser: self.teaser, body: text, analyzer: .shared)
        }
    }

    /// Stores one record; returns whether the article is new.
    private func store(
        _ record: JSONLRecord, prepared: PreparedRecord, line: Int, in sql: any SQLDatabase,
        report: inout ImportReport, context: inout Context
    ) async throws -> Bool {
        let title = prepared.title
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

        let sourceID = record.id.map { "jsonl:\($0)" }
        let existing = try await sourceID.asyncMap { try await Database.articleID(sourceID: $0, in: sql) } ?? nil

        // Slug: given (cleaned) or made from the title; unique among articles.
        var base = Slug.make(from: record.slug ?? "", maxLength: Self.slugLength)
        if base.isEmpty { base = Slug.make(from: title, maxLength: Self.slugLength) }
        if base.isEmpty { base = "article" }
        if Slug.reserved.contains(base) { base += "-1" }
        var slug = existing?.slug ?? base
        if existing == nil {
            var counter = 1
            while try await Database.articleSlugTaken(slug, excluding: nil, in: sql) {
                counter += 1
                slug = "\(base)-\(counter)"
            }
        }

        var rubricID: Int64?
        if let name = record.rubric.map(UkrainianText.normalize), !name.isEmpty {
            let rubricSlug = Slug.make(from: record.rubricSlug ?? name)
            if let id = context.rubrics[rubricSlug] {
                rubricID = id
            } else {
                let position = try await Database.maxRubricPosition(in: sql) + 1
                let existingRubric = try await sql.raw("SELECT id FROM rubrics WHERE slug = \(bind: rubricSlug)")
                    .first()
                if let existingRubric {
                    rubricID = try existingRubric.decode(column: "id", as: Int64.self)
                } else {
                    rubricID = try await Newsroom.importRubric(
                        Rubric(slug: rubricSlug, name: name, position: position), now: Date(), in: sql
                    ).id
                }
                context.rubrics[rubricSlug] = rubricID
            }
        }

        var tagIDs: [Int64] = []
        for (index, rawName) in (record.tags ?? []).enumerated() {
            let name = UkrainianText.normalize(rawName)
            let given = record.tagSlugs.flatMap { index < $0.count ? $0[index] : nil }
            let tagSlug = Slug.make(from: given ?? name)
            guard !name.isEmpty, !tagSlug.isEmpty else { continue }
            if let id = context.tags[tagSlug] {
                tagIDs.append(id)
            } else if let id = try await TagRepository.upsert(Tag(slug: tagSlug, name: name), in: sql).id {
                context.tags[tagSlug] = id
                tagIDs.append(id)
            }
        }

        var bylineIDs: [Int64] = []
        if let name = record.author.map(UkrainianText.tidy), !name.isEmpty {
            let key = record.authorLogin ?? name
            if let id = context.authors[key] {
                bylineIDs.append(id)
            } else {
                var authorSlug = Slug.make(from: name)
                var counter = 1
                while try await AuthorRepository.slugTaken(authorSlug, exceptLogin: record.authorLogin, in: sql) {
                    counter += 1
                    authorSlug = "\(Slug.make(from: name))-\(counter)"
                }
                if let id = try await AuthorRepository.upsert(
                    Author(slug: authorSlug, name: name, login: record.authorLogin ?? authorSlug), in: sql
                ).id {
                    context.authors[key] = id
                    bylineIDs.append(id)
                }
            }
        }

        // Cover photo.
        var coverID: Int64?
        let credit = record.photoCredit.map(UkrainianText.tidy).flatMap { $0.isEmpty ? nil : $0 }
        var photoURL: URL?
        if let photo = record.photo, !photo.isEmpty {
            do {
                photoURL = try localPhoto(photo)
            } catch let error as DatabaseError {
                report.problems.append(
                    ImportProblem(line: line, field: "photo", message: error.description, skipped: false))
            }
        } else if credit != nil, !stockPhotos.isEmpty {
            let number = Int(record.id ?? "") ?? abs(title.hashValue)
            photoURL = stockPhotos[number % stockPhotos.count]
        }
        if let photoURL {
            do {
                coverID = try await storePhoto(
                    photoURL, alt: record.photoAlt ?? "", caption: record.photoCaption, credit: credit, in: sql,
                    context: &context)
            } catch let error as DatabaseError {
                report.problems.append(
                    ImportProblem(line: line, field: "photo", message: error.description, skipped: false))
            }
        }

        // Body.
        for note in prepared.bodyNotes {
            report.problems.append(ImportProblem(line: line, field: "body_html", message: note, skipped: false))
        }
        var body: [Block] = []
        for imported in prepared.body {
            switch imported {
            case .block(let block): body.append(block)
            case .image(let source, let alt, let caption, let imageCredit):
                do {
                    let url = try localPhoto(source)
                    let id = try await storePhoto(
                        url, alt: alt, caption: caption, credit: imageCredit, in: sql, context: &context)
                    body.append(.image(mediaID: id, caption: nil, credit: nil))
                } catch let error as DatabaseError {
                    report.problems.append(
                        ImportProblem(line: line, field: "body_html", message: error.description, skipped: false))
                }
            }
        }

        let now = Date()
        let article = Article(
            id: existing?.id, slug: slug, title: title, lede: prepared.lede, teaser: prepared.teaser,
            body: body,
            rubricID: rubricID, tagIDs: tagIDs, bylineIDs: bylineIDs, coverMediaID: coverID, status: status,
            publishedAt: publishedAt, updatedAt: publishedAt ?? now, createdAt: publishedAt ?? now,
            featured: record.featured ?? false, breaking: record.breaking ?? false, sourceID: sourceID)
        do {
            return try await Newsroom.importArticle(article, analysed: prepared.document, now: now, in: sql).created
        } catch NewsroomError.invalid(let problems) {
            // The first problem names the line's field; the rest are usually its consequences.
            let problem = problems.first ?? FieldError(field: "title", key: "")
            throw ImportProblem(
                line: line, field: Self.recordField[problem.field] ?? problem.field,
                message: Self.explanation[problem.key] ?? "is refused by the newsroom's checks (\(problem.key))",
                skipped: true)
        }
    }

    /// The record's field for a field the newsroom's checks name.
    static let recordField = [
        "body": "body_html", "bylines": "author", "slug": "slug", "title": "title", "lede": "lede",
        "teaser": "teaser", "tags": "tags", "rubric": "rubric",
    ]

    /// What a refusal of the newsroom's checks means, for the command line.
    static let explanation = [
        "error_title_empty": "is missing or empty",
        "error_title_long": "is longer than \(ArticleValidation.maxTitle) characters",
        "error_slug_invalid": "is not a valid address (lowercase Latin letters, digits and hyphens)",
        "error_slug_reserved": "is an address the site uses itself",
        "error_slug_taken": "is the address of another article",
        "error_lede_long": "is longer than \(ArticleValidation.maxLede) characters",
        "error_teaser_long": "is longer than \(ArticleValidation.maxTeaser) characters",
        "error_body_too_many_blocks": "has more than \(ArticleValidation.maxBlocks) paragraphs and other blocks",
        "error_body_block_long": "has a paragraph longer than \(ArticleValidation.maxBlockText) characters",
        "error_body_bad_link": "has a link that is not http(s) or mailto",
        "error_body_bad_embed": "has an embed that is not an http(s) address",
        "error_missing_media": "refers to a photo that is not stored",
        "error_missing_article": "refers to an article that does not exist",
        "error_missing_reference": "refers to something that does not exist",
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

    /// Copies a photo into the media store (once per file) and adds a media record for this use of it.
    private func storePhoto(
        _ url: URL, alt: String, caption: String?, credit: String?, in sql: any SQLDatabase, context: inout Context
    ) async throws -> Int64 {
        let name = url.lastPathComponent
        let probe: ImageProbe
        if let known = context.storedFiles[name] {
            probe = known
        } else {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw DatabaseError("the photo \(url.path) does not exist or cannot be read")
            }
            guard let found = ImageProbe(data) else {
                throw DatabaseError("the photo \(url.path) is not a JPEG, PNG or WebP image")
            }
            if !mediaStore.contains(name) { try mediaStore.put(data, name: name) }
            context.storedFiles[name] = found
            probe = found
        }
        let media = Media(
            file: name, mimeType: probe.mimeType, width: probe.width, height: probe.height,
            caption: caption.map(UkrainianText.tidy), credit: credit, alt: UkrainianText.tidy(alt))
        guard let id = try await MediaRepository.insert(media, in: sql).id else {
            throw DatabaseError("the database did not return the photo's id")
        }
        return id
    }

    /// Longest slug made for an article (long headlines are cut on a word boundary).
    static let slugLength = 120

    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(trimmed)
    }
}

extension ImportProblem: Error {}

extension Optional {
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// Reads a file line by line without loading it whole.
struct LineReader: AsyncSequence {
    typealias Element = String
    let handle: FileHandle

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        var buffer: [UInt8] = []
        /// Where the unread part of `buffer` starts (compacted now and then, not on every line).
        var start = 0
        var finished = false

        mutating func next() async throws -> String? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                    start = newline + 1
                    return line
                }
                if finished {
                    guard start < buffer.count else { return nil }
                    defer { start = buffer.count }
                    return String(decoding: buffer[start...], as: UTF8.self)
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
