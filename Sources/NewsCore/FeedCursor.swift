import Foundation

/// A position in a newest-first feed: the publication time and id of the last item shown.
///
/// Feeds page by keyset ("items older than this one"), so page 500 costs what page 1 costs and a story
/// published while a reader scrolls never shifts the items that follow. The token is opaque to
/// readers: base64url of `v1:<milliseconds>:<id>`.
public struct FeedCursor: Sendable, Equatable, Hashable {
    /// Publication time in whole milliseconds since 1970.
    public var publishedMillis: Int64
    public var id: Int64

    /// Creates a cursor.
    public init(publishedMillis: Int64, id: Int64) {
        self.publishedMillis = publishedMillis
        self.id = id
    }

    /// The URL-safe token.
    public var token: String {
        // base64url without padding, in one pass over the bytes (three `replacingOccurrences` cost more than the rest
        // of a feed item's links).
        let base64 = Data("v1:\(publishedMillis):\(id)".utf8).base64EncodedData()
        return String(
            decoding: base64.compactMap { byte -> UInt8? in
                switch byte {
                case UInt8(ascii: "+"): UInt8(ascii: "-")
                case UInt8(ascii: "/"): UInt8(ascii: "_")
                case UInt8(ascii: "="): nil
                default: byte
                }
            }, as: UTF8.self)
    }

    /// Parses a token; `nil` when it is malformed, tampered with or out of range.
    public init?(token: String) {
        guard (4...64).contains(token.utf8.count),
            token.utf8.allSatisfy({ $0.isBase64URL })
        else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1",
            parts[1].allSatisfy(\.isASCIIDigitOrMinus), parts[2].allSatisfy(\.isASCIIDigitOrMinus),
            let millis = Int64(parts[1]), let id = Int64(parts[2]), id > 0,
            // Years 1970…9999: anything else was not made by us.
            (0...253_402_300_799_000).contains(millis)
        else { return nil }
        self.init(publishedMillis: millis, id: id)
    }
}

extension UInt8 {
    fileprivate var isBase64URL: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
            || self == 0x2D || self == 0x5F
    }
}

extension Character {
    fileprivate var isASCIIDigitOrMinus: Bool { ("0"..."9").contains(self) || self == "-" }
}

extension Date {
    /// Whole milliseconds since 1970, the unit the database stores.
    public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A date from whole milliseconds since 1970.
    public init(millisecondsSince1970 millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
