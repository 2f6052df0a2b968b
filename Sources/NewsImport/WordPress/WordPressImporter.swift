import Foundation
import NewsCore
import NewsData
import SQLKit

/// Moves a paper from WordPress: reads its export (WXR 1.1 or 1.2) as a stream, twice (first its attachments, then
/// its posts), and stores every post through the one ingest step, in batches of one transaction each. Categories
/// become rubrics, tags tags, authors bylines (people without a login), excerpts ledes, featured and inline images
/// photos from a local copy of `wp-content/uploads`, sticky posts featured stories and Yoast or Rank Math titles
/// and descriptions the story's own. Every old address of a post (its permalink, its guid, `?p=ID`, and the
/// permalink structures given) and of its category, tag and author archives answers with a permanent redirect.
///
/// Importing the same file again changes nothing; an import stopped at any point (even by `kill -9`) is finished by
/// running it again, since each batch is committed whole and stories already stored as they are are left alone.
public struct WordPressImporter: Sendable {
    let database: Database
    let mediaStore: any MediaStore
    /// The local copy of the site's `wp-content/uploads`.
    let uploads: URL?
    /// The old site's address when it differs from the export's (an export made on a staging copy).
    let baseURL: String?
    /// Permalink structures the site had ("/%year%/%monthnum%/%postname%/"); each post's address in each is kept.
    let permalinks: [String]
    /// The site's time zone, for posts whose export has no GMT date.
    let timeZone: TimeZone
    /// Do everything but keep nothing: every transaction is rolled back and no file is copied.
    let dryRun: Bool
    let batchSize: Int

    public init(
        database: Database, mediaStore: any MediaStore, uploads: String? = nil, baseURL: String? = nil,
        permalinks: [String] = [], timeZone: TimeZone = TimeZone(identifier: "Europe/Kyiv") ?? .gmt,
        dryRun: Bool = false, batchSize: Int = 200
    ) {
        self.database = database
        self.mediaStore = mediaStore
        self.uploads = uploads.map { URL(fileURLWithPath: $0, isDirectory: true) }
        self.baseURL = baseURL
        self.permalinks = permalinks
        self.timeZone = timeZone
        self.dryRun = dryRun
        self.batchSize = max(1, batchSize)
    }

    /// Imports the export at `path`.
    public func importFile(at path: String, progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws
        -> ImportReport
    {
        guard !dryRun else { return try await importStories(at: path, progress: progress) }
        // The search index merges its parts once at the end rather than all along.
        return try await SearchRepository(database: database).bulkLoad {
            try await importStories(at: path, progress: progress)
        }
    }

    private func importStories(at path: String, progress: (@Sendable (ImportProgress) -> Void)?) async throws
        -> ImportReport
    {
        var report = ImportReport()
        let attachments = try readAttachments(path)
        let reader = try WXRReader(path: path)
        let site = try reader.site()
        let mapper = WordPressMapper(
            site: site, attachments: attachments.byID, attachedTo: attachments.byParent, uploads: uploads,
            baseURL: baseURL, permalinks: permalinks, timeZone: timeZone)
        var context = Ingest.Context()
        let parser = reader.parser
        var batch: [WXRReader.ItemParser.Bytes] = []
        // Each batch is parsed and prepared (bodies, photos, search analysis) on every core while the ones before it
        // are stored; only cutting the items out of the file and storing them run on one. Two batches are prepared
        // ahead, so the cores the store leaves free always have a batch to work on.
        var preparing: [Task<[Prepared], Never>] = []
        func prepare(_ items: [WXRReader.ItemParser.Bytes]) -> Task<[Prepared], Never> {
            Task {
                await items.concurrentMap { bytes -> Prepared in
                    switch parser.parse(bytes) {
                    case .problem(let id, let message):
                        return .skipped(ImportProblem(line: id ?? 0, message: message, skipped: true, unit: "item"))
                    case .item(let item):
                        switch mapper.kind(of: item) {
                        case .story: return .story(item, mapper.story(item))
                        case .skipQuietly: return .none
                        case .skip(let reason):
                            return .skipped(ImportProblem(line: item.id, message: reason, skipped: true, unit: "item"))
                        }
                    }
                }
            }
        }
        func storeOldest() async throws {
            let oldest = preparing.removeFirst()
            try await store(await oldest.value, file: path, report: &report, context: &context)
            progress?(ImportProgress(bytesRead: reader.bytesRead, totalBytes: reader.size, report: report))
        }
        while let entry = try reader.nextRaw() {
            switch entry {
            case .problem(let id, let message):
                report.problems.append(ImportProblem(line: id ?? 0, message: message, skipped: true, unit: "item"))
            case .item(let bytes):
                // Attachments were read in the first pass; a batch holds stories, as far as the bytes tell.
                if !Self.isAttachment(bytes) { batch.append(bytes) }
            }
            if batch.count >= batchSize {
                preparing.append(prepare(batch))
                batch.removeAll(keepingCapacity: true)
                if preparing.count > CPUExecutor.batchesAhead { try await storeOldest() }
            }
        }
        if !batch.isEmpty { preparing.append(prepare(batch)) }
        while !preparing.isEmpty { try await storeOldest() }
        try await storeArchiveAddresses(site: site, mapper: mapper, context: context)
        progress?(ImportProgress(bytesRead: reader.size, totalBytes: reader.size, report: report))
        report.problems.sort { ($0.line, $0.skipped ? 0 : 1) < ($1.line, $1.skipped ? 0 : 1) }
        return report
    }

    /// Every attachment of the export (the first pass): what featured images, galleries and inline photos name.
    private func readAttachments(_ path: String) throws -> (
        byID: [Int: WXRAttachment], byParent: [Int: [WXRAttachment]]
    ) {
        let reader = try WXRReader(path: path)
        _ = try reader.site()
        var byID: [Int: WXRAttachment] = [:]
        var byParent: [Int: [WXRAttachment]] = [:]
        while let entry = try reader.next(containing: "attachment") {
            guard case .item(let item) = entry, item.type == "attachment" else { continue }
            let attachment = WXRAttachment(
                id: item.id, url: item.attachmentURL.isEmpty ? item.guid : item.attachmentURL, parent: item.parent,
                alt: UkrainianText.tidy(item.meta["_wp_attachment_image_alt"] ?? ""),
                caption: UkrainianText.tidy(item.excerpt))
            byID[item.id] = attachment
            if item.parent > 0 { byParent[item.parent, default: []].append(attachment) }
        }
        return (byID, byParent)
    }

    /// Rolls a dry run's transaction back, carrying what it would have done.
    private struct DryRun: Error {
        let report: ImportReport
        let context: Ingest.Context
    }

    /// An item of a batch, parsed and mapped.
    enum Prepared: Sendable {
        /// A post, with its story (`nil` when it cannot be imported) and warnings.
        case story(WXRItem, WordPressMapper.Prepared)
        /// An item that is not imported, and why.
        case skipped(ImportProblem)
        /// An item that is not imported and needs no word (an attachment, a menu item).
        case none
    }

    /// Whether an item's bytes are an attachment's (`<wp:post_type>` of "attachment", with or without CDATA).
    static func isAttachment(_ item: WXRReader.ItemParser.Bytes) -> Bool {
        item.bytes.withUnsafeBytes { bytes in
            attachmentTypes.contains { pattern in
                pattern.withUnsafeBytes { ByteSearch.firstOffset(of: $0, in: bytes) != nil }
            }
        }
    }

    private static let attachmentTypes = [
        "<wp:post_type><![CDATA[attachment]]></wp:post_type>", "<wp:post_type>attachment</wp:post_type>",
    ].map { Array($0.utf8) }

    /// Stores a batch in one transaction (a post that cannot be stored is skipped, the others stay).
    private func store(_ prepared: [Prepared], file: String, report: inout ImportReport, context: inout Ingest.Context)
        async throws
    {
        var items: [WXRItem] = []
        var stories: [WordPressMapper.Prepared] = []
        for entry in prepared {
            switch entry {
            case .story(let item, let story):
                items.append(item)
                stories.append(story)
            case .skipped(let problem): report.problems.append(problem)
            case .none: break
            }
        }
        guard !items.isEmpty else { return }
        let batch = items
        let prepared = stories
        let start = (report, context)
        let ingest = Ingest(mediaStore: mediaStore, dryRun: dryRun)
        let dryRun = self.dryRun
        do {
            let result = try await database.transaction { sql -> (ImportReport, Ingest.Context) in
                var (report, context) = start
                var storable: [(item: WXRItem, story: IngestStory, warnings: [ImportProblem])] = []
                for (index, item) in batch.enumerated() {
                    let (story, warnings) = prepared[index]
                    guard let story else {
                        report.problems += warnings
                        continue
                    }
                    storable.append((item, story, warnings))
                }
                let outcomes = try await ingest.storeAll(storable.map(\.story), in: sql, context: &context) {
                    index, field, message in
                    report.problems.append(
                        ImportProblem(
                            line: storable[index].item.id, field: field, message: message, skipped: false,
                            unit: "item"))
                }
                for ((item, story, warnings), outcome) in zip(storable, outcomes) {
                    switch outcome {
                    case .success(let stored):
                        report.problems += warnings
                        report.count(stored.change, together: stored.together)
                        report.addresses.append(
                            ImportedAddress(id: item.id, status: story.status, old: item.link, slug: stored.slug))
                    case .failure(let error):
                        report.problems.append(Ingest.problem(storing: error, line: item.id, unit: "item"))
                    }
                }
                try await ingest.indexBatch(in: sql, context: &context)
                // A batch that changed nothing leaves no audit entry: importing a file again writes nothing.
                if let first = batch.first?.id, let last = batch.last?.id,
                    report.created + report.updated > start.0.created + start.0.updated
                {
                    try await Newsroom.recordImport(
                        file: file, lines: min(first, last)...max(first, last),
                        created: report.created - start.0.created, updated: report.updated - start.0.updated,
                        now: Date(), in: sql)
                }
                if dryRun { throw DryRun(report: report, context: context) }
                return (report, context)
            }
            (report, context) = result
        } catch let rolledBack as DryRun {
            // Ids made inside a rolled-back transaction name nothing: each batch looks its rows up again.
            report = rolledBack.report
            context = Ingest.Context()
        }
    }

    /// The old category, tag and author archives lead to the rubric, tag and author pages they became.
    private func storeArchiveAddresses(site: WXRSite, mapper: WordPressMapper, context: Ingest.Context) async throws {
        guard !dryRun else { return }
        let targets = try await database.read { sql -> [(path: String, target: String)] in
            var targets: [(path: String, target: String)] = []
            for category in site.categories {
                let slug = Slug.make(from: category.slug)
                guard context.rubrics[slug] != nil else { continue }
                for path in mapper.categoryArchivePaths(category) {
                    targets.append((LegacyURL.normalize(path), "rubric:" + slug))
                }
            }
            for tag in site.tags {
                let slug = Slug.make(from: tag.slug)
                guard context.tags[slug] != nil else { continue }
                targets.append((LegacyURL.normalize("/tag/" + tag.slug), "tag:" + slug))
            }
            for login in site.authors.keys {
                guard
                    let row = try await sql.raw("SELECT slug FROM authors WHERE login = \(bind: login)").first(),
                    let slug = try? row.decode(column: "slug", as: String.self)
                else { continue }
                targets.append((LegacyURL.normalize("/author/" + login), "author:" + slug))
            }
            return targets
        }
        guard !targets.isEmpty else { return }
        try await database.transaction { sql in try await Newsroom.recordLegacyTargets(targets, in: sql) }
    }
}

/// A post's old and new address, for the import's report.
public struct ImportedAddress: Sendable, Equatable {
    public var id: Int
    public var status: ArticleStatus
    public var old: String
    /// The story's slug here (its address is the site's article address for it).
    public var slug: String
}
