import Foundation
import Logging
import Synchronization

/// Writes log lines as one JSON object a line (`SHPALTA_LOG_FORMAT=json`), for log collectors: `time` (RFC 3339,
/// milliseconds, UTC), `level`, `label`, `message`, `source` and `metadata` (an object of strings; nested values
/// are written as text). JSON's escaping covers every control character, so a value cannot start a new line.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    /// Where the lines go: standard error unless a test gives its own.
    public final class Output: Sendable {
        private let write: Mutex<@Sendable (Data) -> Void>

        public init(_ write: @escaping @Sendable (Data) -> Void) {
            self.write = Mutex(write)
        }

        /// Standard error, a whole line at a time.
        public static let standardError = Output { data in FileHandle.standardError.write(data) }

        func callAsFunction(_ line: Data) {
            write.withLock { $0(line) }
        }
    }

    public init(label: String, output: Output = .standardError) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private struct Line: Encodable {
        let time: String
        let level: String
        let label: String
        let message: String
        let source: String
        let metadata: [String: String]
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        if let error = event.error { merged["error"] = .string(String(describing: error)) }
        let line = Line(
            time: Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date()),
            level: event.level.rawValue, label: label, message: event.message.description, source: event.source,
            metadata: merged.mapValues(\.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(line) else { return }
        data.append(UInt8(ascii: "\n"))
        output(data)
    }
}
