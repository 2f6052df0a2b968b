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
        var words = 0
        var counted = false
        for scalar in text.unicodeScalars {
            let space: Bool
            let wordy: Bool
            if scalar.isASCII {
                // Most of a Ukrainian text's spaces and punctuation: no Unicode tables needed.
                let byte = UInt8(scalar.value)
                space = byte == 0x20 || (0x09...0x0D).contains(byte)
                wordy = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            } else if (0x0400...0x052F).contains(scalar.value) {
                // Cyrillic letters: the rest of a Ukrainian text.
                space = false
                wordy = true
            } else {
                space = scalar.properties.isWhitespace
                wordy = !space && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
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
