import Foundation

extension String {
    /// The text with its `%XX` escapes decoded, or the text itself when it has none or they are not valid UTF-8
    /// (Foundation's `removingPercentEncoding`, which goes through `NSString` on Linux, only when there is a `%`).
    public var percentDecoded: String {
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        return removingPercentEncoding ?? self
    }
}
