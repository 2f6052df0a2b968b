import Foundation
import NewsCore

/// Reads a WordPress export (WXR) as a stream: the file is read a megabyte at a time and cut into the channel's
/// head and its `<item>`s (outside CDATA sections and comments), and each item is parsed as an XML document of its
/// own. Memory holds one item at a time, whatever the file's size; an item that is not well-formed, too large or cut
/// off by the end of the file is reported with its id and the reading goes on with the next.
public final class WXRReader {
    /// What reading the next item gave.
    public enum Entry: Sendable {
        case item(WXRItem)
        /// An item that could not be read: its id when one could be found, and why.
        case problem(id: Int?, message: String)
    }

    /// What cutting the next item out of the file gave: its bytes, to parse with ``ItemParser`` (on any thread),
    /// or a problem.
    public enum RawEntry: Sendable {
        case item(ItemParser.Bytes)
        case problem(id: Int?, message: String)
    }

    /// Parses an item's bytes with the namespaces of the export's `<rss>` tag. A value, so that items can be parsed
    /// on every core while the file is read on one.
    public struct ItemParser: Sendable {
        /// An item's bytes, from `<item>` to `</item>`.
        public struct Bytes: Sendable {
            let bytes: [UInt8]
        }

        let rssTag: [UInt8]

        /// The item, or a problem naming its id when it is not well-formed.
        public func parse(_ item: Bytes) -> Entry {
            let document = rssTag + item.bytes + Array("</rss>".utf8)
            let tree = document.withUnsafeBytes { MarkupTree(xml: $0) }
            guard let tree, let node = tree.root?.elements.first(where: { $0.name == "item" }) else {
                return .problem(
                    id: WXRReader.postID(in: item.bytes[...]), message: "is not well-formed XML; skipped")
            }
            return withExtendedLifetime(tree) { .item(WXRItem(node)) }
        }
    }

    /// The parser of this export's items (call after ``site()``).
    public var parser: ItemParser { ItemParser(rssTag: rssTag) }

    private let handle: FileHandle
    /// The file's size in bytes.
    public let size: Int
    /// Bytes of the file read so far.
    public private(set) var bytesRead = 0
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var position = 0
    private var finished = false
    /// The `<rss …>` start tag, with the namespaces each item is parsed with.
    private var rssTag: [UInt8] = Array(WXRReader.defaultRSSTag.utf8)
    private var siteRead: WXRSite?

    /// The largest item read; a larger one is reported and skipped.
    public static let maxItemBytes = 64 << 20
    static let chunkBytes = 1 << 20
    static let defaultRSSTag =
        #"<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">"#

    /// Opens the export at `path`.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportFailure("Cannot read the export file \(path).")
        }
        self.handle = handle
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    deinit {
        try? handle.close()
    }

    /// The site: title, addresses, authors, categories and tags (read once, before the first item).
    public func site() throws -> WXRSite {
        if let siteRead { return siteRead }
        var end: Int?
        while end == nil {
            let scan = Self.scan(buffer, from: 0)
            end = scan.itemStart
            if end == nil {
                if finished {
                    end = buffer.count
                } else if !readChunk() {
                    end = buffer.count
                }
            }
        }
        let head = Array(buffer[..<end!])
        buffer.removeFirst(end!)
        guard let open = Self.rssStartTag(in: head) else {
            throw ImportFailure("This is not a WordPress export: it has no <rss> element.")
        }
        rssTag = open
        let document = head + Array("</channel></rss>".utf8)
        let tree = document.withUnsafeBytes { MarkupTree(xml: $0, recover: true) }
        guard let tree, let root = tree.root, root.name == "rss",
            let channel = root.elements.first(where: { $0.name == "channel" })
        else {
            throw ImportFailure("This is not a WordPress export: its <channel> cannot be read.")
        }
        let site = WXRSite(channel)
        siteRead = site
        return site
    }

    /// The next item, or `nil` at the end of the file.
    /// - Parameter marker: when given, items whose text does not contain it are passed over unparsed (the first pass
    ///   over an export wants its attachments only).
    public func next(containing marker: String? = nil) throws -> Entry? {
        switch try nextRaw(containing: marker) {
        case .item(let bytes): parser.parse(bytes)
        case .problem(let id, let message): .problem(id: id, message: message)
        case nil: nil
        }
    }

    /// The next item's bytes (only items whose bytes contain `marker`, when given), or a problem; `nil` at the end.
    public func nextRaw(containing marker: String? = nil) throws -> RawEntry? {
        _ = try site()
        let pattern = marker.map { Array($0.utf8) }
        while true {
            let scan = Self.scan(buffer, from: position)
            if let start = scan.itemStart, let end = scan.itemEnd {
                if let pattern, !Self.contains(pattern, in: buffer, start..<end) {
                    consume(upTo: end)
                    continue
                }
                let item = Array(buffer[start..<end])
                consume(upTo: end)
                return .item(ItemParser.Bytes(bytes: item))
            }
            if let start = scan.itemStart, buffer.count - start > Self.maxItemBytes {
                let id = Self.postID(in: buffer[start...])
                return skipLargeItem(id: id)
            }
            if scan.itemStart == nil {
                // Nothing of an item yet: keep only what may be the start of a tag cut by the chunk's end.
                consume(upTo: scan.keepFrom)
            }
            if !readChunk() {
                guard let start = scan.itemStart else { return nil }
                let id = Self.postID(in: buffer[start...])
                consume(upTo: buffer.count)
                return .problem(id: id, message: "is cut off by the end of the file (the file is truncated)")
            }
        }
    }

    /// Marks the bytes before `index` as read; the buffer is compacted now and then, not after every item.
    private func consume(upTo index: Int) {
        position = max(position, index)
        if position > Self.chunkBytes, position * 2 > buffer.count {
            buffer.removeFirst(position)
            position = 0
        }
    }

    /// Reads past an item too large to keep, without keeping it.
    private func skipLargeItem(id: Int?) -> RawEntry {
        let opening = Array("<item>".utf8)
        buffer.removeAll()
        position = 0
        while readChunk() {
            if let end = Self.scan(opening + buffer, from: 0).itemEnd {
                buffer.removeFirst(end - opening.count)
                break
            }
            buffer.removeAll()
        }
        return .problem(id: id, message: "is larger than \(Self.maxItemBytes >> 20) MB; skipped")
    }

    /// Appends the next chunk of the file; false at its end.
    private func readChunk() -> Bool {
        guard !finished else { return false }
        let data = handle.readData(ofLength: Self.chunkBytes)
        if data.isEmpty {
            finished = true
            return false
        }
        bytesRead += data.count
        buffer.append(contentsOf: data)
        return true
    }

    /// Where the next item starts and ends in `bytes`, read from `from` outside CDATA sections and comments, and
    /// from where the bytes must be kept when no item starts (a tag or section cut by the end of the bytes).
    static func scan(_ bytes: [UInt8], from: Int) -> (itemStart: Int?, itemEnd: Int?, keepFrom: Int) {
        bytes.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var index = from
            var start: Int?
            func matches(_ text: StaticString, at position: Int) -> Bool {
                let length = text.utf8CodeUnitCount
                guard position + length <= count else { return false }
                let pattern = text.utf8Start
                for offset in 0..<length where bytes[position + offset] != pattern[offset] { return false }
                return true
            }
            func find(_ text: StaticString, from position: Int) -> Int? {
                let first = text.utf8Start[0]
                var cursor = position
                while cursor < count {
                    if bytes[cursor] == first, matches(text, at: cursor) { return cursor }
                    cursor += 1
                }
                return nil
            }
            while index < count {
                guard let open = find("<", from: index) else { break }
                if matches("<![CDATA[", at: open) {
                    guard let close = find("]]>", from: open + 9) else { return (start, nil, open) }
                    index = close + 3
                } else if matches("<!--", at: open) {
                    guard let close = find("-->", from: open + 4) else { return (start, nil, open) }
                    index = close + 3
                } else if start == nil, matches("<item", at: open) {
                    guard open + 5 < count else { return (nil, nil, open) }
                    let next = bytes[open + 5]
                    if next == UInt8(ascii: ">") || next == UInt8(ascii: " ") || next == UInt8(ascii: "\n")
                        || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\r")
                    {
                        start = open
                    }
                    index = open + 5
                } else if start != nil, matches("</item>", at: open) {
                    return (start, open + 7, open)
                } else {
                    if open + 9 > count { return (start, nil, open) }
                    index = open + 1
                }
            }
            return (start, nil, max(from, count - 9))
        }
    }

    /// The `<rss …>` start tag of the head.
    static func rssStartTag(in head: [UInt8]) -> [UInt8]? {
        guard let start = firstRange(of: Array("<rss".utf8), in: head[...]) else { return nil }
        guard let end = head[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        return Array(head[start...end])
    }

    /// The `wp:post_id` written in an item's bytes, for reporting an item that cannot be parsed.
    static func postID(in item: ArraySlice<UInt8>) -> Int? {
        guard let start = firstRange(of: Array("<wp:post_id>".utf8), in: item) else { return nil }
        var digits = ""
        for byte in item[(start + 12)...].prefix(40) {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(Character(Unicode.Scalar(byte)))
            } else if !digits.isEmpty {
                break
            }
        }
        return Int(digits)
    }

    /// Whether `bytes[range]` contains `pattern` (this runs over every byte of an export).
    static func contains(_ pattern: [UInt8], in bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBytes { all in
            pattern.withUnsafeBytes { needle in
                ByteSearch.firstOffset(of: needle, in: UnsafeRawBufferPointer(rebasing: all[range])) != nil
            }
        }
    }

    private static func firstRange(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - pattern.count {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}

/// An import that cannot go on at all (the file cannot be read, or is not an export).
public struct ImportFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
