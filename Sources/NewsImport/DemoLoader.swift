import Foundation
import Logging
import NewsCore
import NewsData

/// Fills an empty database with the demo newspaper: the reference article and the 27 stories of the
/// reference page's feed (`Demo/reference.jsonl`, with photos from `Demo/photos`), a generated corpus
/// when one is given, and the site settings in `Demo/settings.json`.
public struct DemoLoader: Sendable {
    let database: Database
    let mediaDirectory: String
    let demoDirectory: String
    let corpus: String?
    let logger: Logger

    /// Creates a loader.
    public init(database: Database, mediaDirectory: String, demoDirectory: String, corpus: String?, logger: Logger) {
        self.database = database
        self.mediaDirectory = mediaDirectory
        self.demoDirectory = demoDirectory
        self.corpus = corpus
        self.logger = logger
    }

    /// Loads the demo unless the database already has articles; returns whether it loaded.
    @discardableResult
    public func loadIfEmpty() async throws -> Bool {
        guard try await ArticleRepository(database: database).count() == 0 else {
            logger.info("The database already has articles; the demo content is not loaded again.")
            return false
        }
        let photos = (demoDirectory as NSString).appendingPathComponent("photos")
        let store = try DirectoryMediaStore(root: mediaDirectory)
        let reference = (demoDirectory as NSString).appendingPathComponent("reference.jsonl")
        let first = try await JSONLImporter(database: database, mediaStore: store, photoDirectory: photos)
            .importFile(at: reference)
        log(first, file: reference)
        if let corpus {
            guard FileManager.default.isReadableFile(atPath: corpus) else {
                throw DatabaseError("The demo corpus \(corpus) cannot be read.")
            }
            let report = try await JSONLImporter(
                database: database, mediaStore: store, photoDirectory: photos, stockPhotoDirectory: photos
            ).importFile(at: corpus)
            log(report, file: corpus)
        }
        let settingsPath = (demoDirectory as NSString).appendingPathComponent("settings.json")
        if let data = FileManager.default.contents(atPath: settingsPath) {
            guard let values = try? JSONDecoder().decode([String: String].self, from: data) else {
                throw DatabaseError("\(settingsPath) must be a JSON object of strings.")
            }
            try await Newsroom(database: database).changeSettings(values, by: .commandLine)
        }
        return true
    }

    private func log(_ report: ImportReport, file: String) {
        logger.info(
            "Demo content imported",
            metadata: ["file": "\(file)", "created": "\(report.created)", "skipped": "\(report.skipped)"])
        for problem in report.problems { logger.warning("\(file): \(problem)") }
    }
}
