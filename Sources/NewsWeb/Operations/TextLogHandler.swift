import Foundation
import Logging

/// Writes log lines as text (the default `SHPALTA_LOG_FORMAT=text`), in swift-log's `StreamLogHandler` form:
/// `2026-12-06T09:34:36+0200 info shpalta: request_id=… [Source] message`, local time, metadata sorted by name.
///
/// Unlike `StreamLogHandler`, which formats its metadata again each time a member is set, this one formats it only
/// for a line it writes. Every request sets its id in its logger's metadata and almost none writes a line, so the
/// formatting cost is paid per line, not per request.
public struct TextLogHandler: LogHandler {
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

    public func log(event: LogEvent) {
        let merged = event.metadata(over: metadata, provider: metadataProvider)
        var line = Self.timestamp() + " \(event.level)" + (label.isEmpty ? "" : " ") + label + ":"
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        line += " [\(event.source)] \(event.message)\n"
        output(Data(line.utf8))
    }

    /// Now in local time, to the second, with the zone's offset.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
