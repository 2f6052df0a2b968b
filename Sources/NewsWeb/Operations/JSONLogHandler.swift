import Foundation
import Logging

/// Writes log lines as one JSON object a line (`SHPALTA_LOG_FORMAT=json`), for log collectors: `time` (RFC 3339,
/// milliseconds, UTC), `level`, `label`, `message`, `source` and `metadata` (an object of strings; nested values
/// are written as text). JSON's escaping covers every control character, so a value cannot start a new line.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LogOutput

    public init(label: String, output: LogOutput = .standardError) {
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
        let merged = event.metadata(over: metadata, provider: metadataProvider)
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
