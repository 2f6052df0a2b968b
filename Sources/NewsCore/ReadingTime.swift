/// How long a story takes to read: the words of its lede and text (not captions, embeds or the stories it
/// recommends) at ``wordsPerMinute``, rounded up, and never less than a minute.
public enum ReadingTime {
    /// An adult's silent reading pace for news text (about 200 to 250 words a minute; the lower end, for a
    /// language whose words are long).
    public static let wordsPerMinute = 200

    public static func minutes(lede: String, body: [Block]) -> Int {
        var words = count(lede)
        for block in body {
            switch block {
            case .paragraph, .heading, .quote, .list, .raw: words += count(block.plainText)
            case .image, .embed, .readAlso: continue
            }
        }
        return max(1, (words + wordsPerMinute - 1) / wordsPerMinute)
    }

    /// The words of `text`: runs between spaces that hold a letter or a digit (a dash alone is not a word).
    static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }

    /// ``count(_:)`` over the text's UTF-8 bytes: ASCII and Cyrillic (most of a Ukrainian text) are told from the
    /// bytes alone, anything else from its scalar's Unicode properties.
    private static func count(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var words = 0
        var counted = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let space: Bool
            let wordy: Bool
            if byte < 0x80 {
                space = byte == 0x20 || (0x09...0x0D).contains(byte)
                wordy = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                index += 1
            } else if (0xD0...0xD4).contains(byte), index + 1 < bytes.count, byte < 0xD4 || bytes[index + 1] <= 0xAF {
                // U+0400–U+052F, Cyrillic letters: two bytes, D0 80 to D4 AF.
                space = false
                wordy = true
                index += 2
            } else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                var value = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : length == 2 ? 0x1F : 0x7F)
                for offset in 1..<length where index + offset < bytes.count {
                    value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
                }
                index += length
                if let scalar = Unicode.Scalar(value) {
                    space = scalar.properties.isWhitespace
                    wordy = !space && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
                } else {
                    (space, wordy) = (false, false)
                }
            }
            if space {
                counted = false
            } else if !counted, wordy {
                words += 1
                counted = true
            }
        }
        return words
    }
}
