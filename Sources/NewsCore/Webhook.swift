import Foundation

/// An address a partner gave to be told of changes: a story published, updated or unpublished, a photo added.
/// Each change is sent as a signed JSON `POST` (see `WebhookDelivery`), retried for a day until it is answered 2xx.
public struct Webhook: Sendable, Equatable, Identifiable {
    /// What a webhook can be told of.
    public enum Event: String, Sendable, Codable, CaseIterable {
        case articlePublished = "article.published"
        case articleUpdated = "article.updated"
        case articleUnpublished = "article.unpublished"
        case mediaAdded = "media.added"

        /// The webhook event a change is, if any: a story that became public, changed while public, or stopped
        /// being public; a photo uploaded. Drafts' saves are no one's business outside the newsroom.
        public static func of(_ change: ChangeEvent) -> Event? {
            if change.action == .mediaUploaded { return .mediaAdded }
            guard change.action.isArticle else { return nil }
            let was = change.oldStatus == .published
            let isNow = change.newStatus == .published
            switch (was, isNow) {
            case (false, true): return .articlePublished
            case (true, true): return .articleUpdated
            case (true, false): return .articleUnpublished
            case (false, false): return nil
            }
        }
    }

    public var id: Int64
    /// Where deliveries are posted (http or https).
    public var url: String
    public var events: [Event]
    public var createdAt: Date
    public var createdBy: Int64?
    /// The outbox's last change when the webhook was added: it hears of the later ones only.
    public var sinceChangeID: Int64

    /// Creates a webhook's description.
    public init(
        id: Int64, url: String, events: [Event], createdAt: Date, createdBy: Int64? = nil, sinceChangeID: Int64 = 0
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.sinceChangeID = sinceChangeID
    }

    /// Whether `text` may be a webhook's address: an absolute http or https URL with a host, at most 2,000 bytes.
    public static func isValidURL(_ text: String) -> Bool {
        guard text.utf8.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty
        else { return false }
        return !text.contains(where: \.isWhitespace)
    }
}

/// One change sent to one webhook: the same id on every attempt and on "send again", so a receiver can tell a
/// repeat from a new change.
public struct WebhookDelivery: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable {
        /// Waiting for its (next) attempt.
        case pending
        case delivered
        /// Not answered 2xx for a day: given up (an administrator may send it again).
        case failed
    }

    public var id: Int64
    public var webhookID: Int64
    public var event: Webhook.Event
    /// The JSON body, exactly as sent.
    public var payload: String
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    /// The receiver's last answer (nil when it gave none: refused connection, timeout).
    public var lastStatus: Int?
    public var lastError: String?

    public init(
        id: Int64, webhookID: Int64, event: Webhook.Event, payload: String, createdAt: Date, attempts: Int = 0,
        nextAttemptAt: Date? = nil, deliveredAt: Date? = nil, lastStatus: Int? = nil, lastError: String? = nil
    ) {
        self.id = id
        self.webhookID = webhookID
        self.event = event
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastStatus = lastStatus
        self.lastError = lastError
    }

    public var state: State {
        if deliveredAt != nil { return .delivered }
        return nextAttemptAt == nil ? .failed : .pending
    }

    /// The id a receiver sees (`Shpalta-Delivery`).
    public var publicID: String { "whd_\(id)" }

    /// How long a delivery is retried.
    public static let retryWindow: TimeInterval = 24 * 3600

    /// The pause before attempt `attempts + 1`: `first` (10 s), tripling, at most two hours.
    public static func pause(afterAttempts attempts: Int, first: TimeInterval = 10) -> TimeInterval {
        min(first * pow(3, Double(min(20, max(0, attempts - 1)))), 7200)
    }
}
