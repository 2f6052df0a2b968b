import Foundation
import Logging
import Synchronization

/// Where a log handler's lines go: standard error unless a test gives its own. One line is written at a time.
public final class LogOutput: Sendable {
    private let write: Mutex<@Sendable (Data) -> Void>

    public init(_ write: @escaping @Sendable (Data) -> Void) {
        self.write = Mutex(write)
    }

    /// Standard error, a whole line at a time.
    public static let standardError = LogOutput { data in FileHandle.standardError.write(data) }

    func callAsFunction(_ line: Data) {
        write.withLock { $0(line) }
    }
}

extension LogEvent {
    /// The metadata a line of this event shows: the logger's own, then the provider's, then the event's, then its
    /// error; a later one wins.
    func metadata(over base: Logger.Metadata, provider: Logger.MetadataProvider?) -> Logger.Metadata {
        var merged = base
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let given = metadata { merged.merge(given) { _, new in new } }
        if let error { merged["error"] = .string(String(describing: error)) }
        return merged
    }
}
