import Foundation
import Logging
import NewsData
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends the queued CDN purges in the background (``CDNPurges``), so that publishing never waits for the CDN:
/// each is a `POST` to the purge address set in the site's settings, with the keys in the `Surrogate-Key` header
/// and as JSON (`{"surrogate_keys": [...], "purge_everything": false}`; "site" in the keys means everything), and
/// the token, if any, as `Authorization: Bearer`. A failure is retried with a growing pause.
struct CDNPurgeService: Service {
    let web: WebEnvironment
    var interval: Duration = .seconds(1)
    /// How long one request may take.
    var timeout: TimeInterval = 10

    func run() async throws {
        await repeatUntilShutdown(every: interval, atStart: true) { await sendDue() }
    }

    /// Sends every purge due now; returns how many reached the CDN.
    @discardableResult
    func sendDue() async -> Int {
        let purges = CDNPurges(database: web.database)
        var sent = 0
        do {
            // The clock on the wall (not the site's, which tests stop): it paces the retries.
            let due = try await purges.due(now: Date())
            guard !due.isEmpty else { return 0 }
            let settings = try await SettingsRepository(database: web.database).all()
            guard let address = settings[CDNPurges.Key.url].flatMap(URL.init(string:)),
                ["http", "https"].contains(address.scheme?.lowercased() ?? "")
            else {
                // The address was removed: nothing to send to.
                for purge in due { try await purges.done(purge.id) }
                return 0
            }
            let token = settings[CDNPurges.Key.token].flatMap { $0.isEmpty ? nil : $0 }
            for purge in due {
                do {
                    try await send(purge.keys, to: address, token: token)
                    try await purges.done(purge.id)
                    sent += 1
                } catch {
                    if try await purges.failed(purge, error: "\(error)", now: Date()) {
                        web.logger.error(
                            "Gave up purging the CDN", metadata: ["keys": "\(purge.keys)", "error": "\(error)"])
                    } else {
                        web.logger.warning("CDN purge failed; will retry", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch {
            web.logger.error("CDN purges could not be read", metadata: ["error": "\(error)"])
        }
        return sent
    }

    struct Refused: Error, CustomStringConvertible {
        let status: Int
        var description: String { "the CDN answered \(status)" }
    }

    private func send(_ keys: [String], to address: URL, token: String?) async throws {
        var request = URLRequest(url: address, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(keys.joined(separator: " "), forHTTPHeaderField: "Surrogate-Key")
        if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONSerialization.data(
            withJSONObject: ["surrogate_keys": keys, "purge_everything": keys.contains("site")], options: [.sortedKeys])
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Refused(status: status) }
    }
}
