import Foundation
import Logging
import NewsData

/// Reads back a site export (`shpalta export`) with `shpalta import jsonl`: lines with a `type` are the archive's
/// records, restored into an empty database; lines without one are stories in the corpus format, imported after.
///
/// The whole file is checked before anything is written (every record's type, fields and kinds, in the archive's
/// order), so a damaged file is refused with its line and field named and leaves the database as it was.
public struct SiteRestore: Sendable {
    let database: Database
    let mediaStore: any MediaStore
    let logger: Logger

    public init(database: Database, mediaStore: any MediaStore, logger: Logger = Logger(label: "shpalta.import")) {
        self.database = database
        self.mediaStore = mediaStore
        self.logger = logger
    }

    /// Records written per transaction.
    static let batch = 500

    /// Whether the file at `path` is a site export: its first record has a `type`.
    public static func isArchive(at path: String) async throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        for try await line in LineReader(handle: handle) where !Self.isBlank(line) {
            return Self.type(of: line) != nil
        }
        return false
    }

    /// Restores the file at `path`; returns how many records of each type were read back, and the report of the
    /// stories without a type (if any).
    public func restore(from path: String) async throws -> (counts: [String: Int], stories: ImportReport?) {
        let newsroom = Newsroom(database: database)
        // First pass: check everything.
        var last: String? = nil
        var untyped = 0
        try await forEachBatch(path) { records, stories in
            last = try await newsroom.checkArchive(records, after: last)
            untyped += stories.count
        }
        guard try await newsroom.isEmptyForRestore() else {
            throw DatabaseError(
                "The database already has content: a site export is read back into an empty database (make one, then run shpalta migrate)."
            )
        }
        // Second pass: write.
        var counts: [String: Int] = [:]
        var parents: [(Int64, Int64)] = []
        let storiesFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shpalta-restore-\(UUID()).jsonl")
        _ = FileManager.default.createFile(atPath: storiesFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: storiesFile) }
        let stories = try FileHandle(forWritingTo: storiesFile)
        try await forEachBatch(path) { records, lines in
            try await newsroom.restore(records, mediaStore: mediaStore, rubricParents: &parents)
            for record in records { counts[record.type, default: 0] += 1 }
            for line in lines {
                try stories.write(contentsOf: line)
                try stories.write(contentsOf: Data([UInt8(ascii: "\n")]))
            }
        }
        try stories.close()
        try await newsroom.finishRestore(rubricParents: parents)
        var report: ImportReport? = nil
        if untyped > 0 {
            report = try await JSONLImporter(database: database, mediaStore: mediaStore, logger: logger).importFile(
                at: storiesFile.path)
        }
        // The search index is the server's own: made again from what was restored.
        _ = try await SearchRepository(database: database).reindex()
        return (counts, report)
    }

    /// Reads the file in batches: the typed records, decoded with their line numbers, and the untyped lines.
    private func forEachBatch(
        _ path: String, _ body: ([ArchiveRecord], [Data]) async throws -> Void
    ) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DatabaseError("Cannot read \(path).") }
        defer { try? handle.close() }
        var records: [ArchiveRecord] = []
        var lines: [Data] = []
        var number = 0
        for try await line in LineReader(handle: handle) {
            number += 1
            if Self.isBlank(line) { continue }
            guard Self.type(of: line) != nil else {
                lines.append(line)
                continue
            }
            do {
                var record = try JSONDecoder().decode(ArchiveRecord.self, from: line)
                record.line = number
                records.append(record)
            } catch {
                throw DatabaseError("line \(number): not a record of a site export (\(error))")
            }
            if records.count >= Self.batch {
                try await body(records, lines)
                records = []
                lines = []
            }
        }
        try await body(records, lines)
    }

    private struct Probe: Decodable {
        let type: String?
    }

    static func type(of line: Data) -> String? {
        (try? JSONDecoder().decode(Probe.self, from: line))?.type
    }

    static func isBlank(_ line: Data) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
