/// Control characters (NUL, BEL, a vertical tab pasted from a word processor…) carry no text. PostgreSQL refuses
/// a NUL in a text column and XML (RSS, sitemaps) refuses the rest, so what the newsroom stores has none: a vertical
/// tab or form feed becomes a space, and every other control character but tabs and line breaks is taken out.
public enum ControlCharacters {
    /// Whether `scalar` is a control character that is not a tab or a line break.
    public static func isStray(_ scalar: Unicode.Scalar) -> Bool {
        // The general category Cc is exactly U+0000–U+001F and U+007F–U+009F.
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || (0x7F...0x9F).contains(value)
    }

    /// Whether `scalar` is a stray control character that only separates (a vertical tab, a form feed).
    public static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        isStray(scalar) && scalar.properties.isWhitespace
    }

    /// `text` without stray control characters: separators become spaces, the rest go (tabs and line breaks
    /// kept).
    public static func strip(_ text: String) -> String {
        guard mayContainStray(text), text.unicodeScalars.contains(where: isStray) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isSeparator(scalar) {
                scalars.append(" ")
            } else if !isStray(scalar) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A byte scan that rules out stray control characters in almost every text: in UTF-8 they are bytes below
    /// 0x20 (but tab and line breaks), 0x7F, or start with 0xC2 (as do U+0080–U+00BF, which are then checked).
    ///
    /// Eight bytes at a time: a word with no byte below 0x20, no 0x7F and no 0xC2 is passed over whole, and the
    /// bytes of any other are checked one by one (every story is scanned as it is saved or imported).
    static func mayContainStray(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var index = 0
            while index + 8 <= raw.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if mayHoldStray(word), raw[index..<index + 8].contains(where: isStrayByte) { return true }
                index += 8
            }
            return raw[index...].contains(where: isStrayByte)
        } ?? true
    }

    private static func isStrayByte(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || byte == 0xC2
    }

    /// Whether any byte of `word` is below 0x20, 0x7F or 0xC2 (it may say so of other words too, never the reverse).
    private static func mayHoldStray(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x20 borrows when 0x20 is taken from it; ASCII bytes only (`& ~word`), others are not below.
        let below = (word &- ones &* 0x20) & ~word & highs
        func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        return below != 0 || hasZero(word ^ (ones &* 0x7F)) || hasZero(word ^ (ones &* 0xC2))
    }
}

extension Article {
    /// The article with stray control characters taken out of every text field and block.
    public func withoutControlCharacters() -> Article {
        let strip = ControlCharacters.strip
        func span(_ span: Span) -> Span {
            Span(strip(span.text), bold: span.bold, italic: span.italic, link: span.link.map(strip))
        }
        var article = self
        article.title = strip(title)
        article.slug = strip(slug)
        article.lede = strip(lede)
        article.teaser = teaser.map(strip)
        article.seoTitle = seoTitle.map(strip)
        article.seoDescription = seoDescription.map(strip)
        article.editorialNote = editorialNote.map(strip)
        article.body = body.map { block in
            switch block {
            case .paragraph(let spans): .paragraph(spans: spans.map(span))
            case .heading(let text): .heading(text: strip(text))
            case .quote(let text, let attribution): .quote(text: strip(text), attribution: attribution.map(strip))
            case .image(let id, let caption, let credit):
                .image(mediaID: id, caption: caption.map(strip), credit: credit.map(strip))
            case .embed(let url): .embed(url: strip(url))
            case .list(let ordered, let items): .list(ordered: ordered, items: items.map { $0.map(span) })
            case .readAlso: block
            case .raw(let html): .raw(html: strip(html))
            }
        }
        return article
    }
}
