import Foundation

/// Recognises JPEG, PNG and WebP images by their bytes (never by file name) and reads their size.
public struct ImageProbe: Sendable, Equatable {
    public var mimeType: String
    public var fileExtension: String
    public var width: Int
    public var height: Int

    /// Reads the type and pixel size of `data`; `nil` when it is not a JPEG, PNG or WebP image.
    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(512 * 1024))
        if let size = Self.png(bytes) {
            self.init(mimeType: "image/png", fileExtension: "png", width: size.0, height: size.1)
        } else if let size = Self.jpeg(bytes) {
            self.init(mimeType: "image/jpeg", fileExtension: "jpg", width: size.0, height: size.1)
        } else if let size = Self.webp(bytes) {
            self.init(mimeType: "image/webp", fileExtension: "webp", width: size.0, height: size.1)
        } else {
            return nil
        }
    }

    private init(mimeType: String, fileExtension: String, width: Int, height: Int) {
        self.mimeType = mimeType
        self.fileExtension = fileExtension
        self.width = width
        self.height = height
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }

    private static func png(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        return valid(be32(b, 16), be32(b, 20))
    }

    private static func jpeg(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF {
                i += 1
                continue
            }
            let length = be16(b, i + 2)
            // Start-of-frame markers carry the size (C0–CF except C4, C8, CC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                return valid(be16(b, i + 7), be16(b, i + 5))
            }
            guard length >= 2 else { return nil }
            i += 2 + length
        }
        return nil
    }

    private static func webp(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 30, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) else {
            return nil
        }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 ": return valid(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
        case "VP8L":
            let bits = UInt32(b[21]) | UInt32(b[22]) << 8 | UInt32(b[23]) << 16 | UInt32(b[24]) << 24
            return valid(Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X": return valid(le24(b, 24) + 1, le24(b, 27) + 1)
        default: return nil
        }
    }

    private static func valid(_ width: Int, _ height: Int) -> (Int, Int)? {
        width > 0 && height > 0 && width <= 30_000 && height <= 30_000 ? (width, height) : nil
    }
}
