import Foundation
import Logging
import NewsCore
import NewsData
import NewsMedia
import ServiceLifecycle

/// Makes the renditions of new photos in the background, a couple of seconds after an upload or an import: pages
/// never wait for them (until they exist, a photo is shown at its own address, which serves a stripped copy).
/// What is pending is in the database (`renditions IS NULL`), so a restart loses nothing; each photo is claimed first,
/// so nodes that share the database and the media directory make it once.
public struct RenditionService: Service {
    let web: WebEnvironment
    var interval: Duration = .seconds(2)

    /// A service for `web`'s photos.
    public init(web: WebEnvironment) {
        self.web = web
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, atStart: true) { await pass() }
    }

    /// Makes the renditions of every photo waiting for them.
    public func pass() async {
        let maker = MediaRenditions(newsroom: web.newsroom, store: web.mediaStore)
        do {
            while !Task.isCancelled {
                let waiting = try await web.media.awaitingRenditions(limit: 8)
                if waiting.isEmpty { return }
                // A file that other records share (an import credits one photo several times) is made once.
                for media in waiting {
                    // Another node that shares the database and the media directory may have taken it.
                    guard let id = media.id, try await web.media.claimRenditions(of: id) else { continue }
                    try await maker.make(media, reusing: { _ in true })
                }
                try await web.changes.drain()
            }
        } catch is CancellationError {
            // Shutting down: the next start takes the work up again.
        } catch {
            web.logger.error("Photo renditions failed", metadata: ["error": "\(error)"])
        }
    }
}
