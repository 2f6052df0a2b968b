/// A small English stemmer for Latin words: the Porter (1980) algorithm, which strips -s, -es, -ies, -ed, -ing,
/// -ly, -ment, -ness, -ation and the like ("sanctions" → "sanction", "missiles" → "missil", "running" → "run").
///
/// Possessive "'s" is dropped first. Words with characters other than a–z (digits, accents, inner apostrophes),
/// words of up to two letters and words longer than any English word are only lowercased.
public enum EnglishStemmer {
    /// Longer "words" are not English words (and would make the stemmer slow).
    private static let maxLength = 60

    /// The stem of `word`, lowercase.
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.lowercased().utf8)
        if bytes.count > 2, bytes[bytes.count - 2] == UInt8(ascii: "'"), bytes[bytes.count - 1] == UInt8(ascii: "s") {
            bytes.removeLast(2)
        }
        while bytes.last == UInt8(ascii: "'") { bytes.removeLast() }
        guard bytes.count > 2, bytes.count <= maxLength, bytes.allSatisfy({ (0x61...0x7A).contains($0) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var porter = PorterWord(bytes)
        porter.run()
        return String(decoding: porter.word, as: UTF8.self)
    }
}

/// The Porter stemmer's working state: `word` is the current word, `stemEnd` the end of the stem before the suffix
/// last matched by `ends(_:)` (the reference implementation's `j`, as a count).
private struct PorterWord {
    var word: [UInt8]
    var stemEnd = 0

    init(_ word: [UInt8]) { self.word = word }

    mutating func run() {
        step1ab()
        guard word.count > 1 else { return }
        step1c()
        step2()
        step3()
        step4()
        step5()
    }

    // MARK: - Measures

    private func isConsonant(_ index: Int) -> Bool {
        switch word[index] {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): false
        case UInt8(ascii: "y"): index == 0 ? true : !isConsonant(index - 1)
        default: true
        }
    }

    /// The number of vowel–consonant sequences in the stem `word[..<stemEnd]`.
    private func measure() -> Int {
        var count = 0
        var index = 0
        while index < stemEnd && isConsonant(index) { index += 1 }
        while index < stemEnd {
            while index < stemEnd && !isConsonant(index) { index += 1 }
            guard index < stemEnd else { break }
            count += 1
            while index < stemEnd && isConsonant(index) { index += 1 }
        }
        return count
    }

    private func stemHasVowel() -> Bool { (0..<stemEnd).contains { !isConsonant($0) } }

    /// Whether `word[index - 1]` and `word[index]` are the same consonant.
    private func isDoubleConsonant(_ index: Int) -> Bool {
        index >= 1 && word[index] == word[index - 1] && isConsonant(index)
    }

    /// Whether `word[index - 2...index]` is consonant–vowel–consonant and the last is not w, x or y.
    private func isCVC(_ index: Int) -> Bool {
        guard index >= 2, isConsonant(index), !isConsonant(index - 1), isConsonant(index - 2) else { return false }
        let last = word[index]
        return last != UInt8(ascii: "w") && last != UInt8(ascii: "x") && last != UInt8(ascii: "y")
    }

    // MARK: - Suffixes

    /// Whether the word ends with `suffix`; if so, sets `stemEnd` to where the suffix starts.
    private mutating func ends(_ suffix: String) -> Bool {
        let suffix = Array(suffix.utf8)
        guard suffix.count <= word.count, word[(word.count - suffix.count)...].elementsEqual(suffix) else {
            return false
        }
        stemEnd = word.count - suffix.count
        return true
    }

    /// Replaces the matched suffix by `replacement`.
    private mutating func setTo(_ replacement: String) {
        word.removeSubrange(stemEnd...)
        word.append(contentsOf: replacement.utf8)
    }

    /// Replaces the matched suffix when the stem's measure is above zero.
    private mutating func replaceIfMeasured(_ replacement: String) {
        if measure() > 0 { setTo(replacement) }
    }

    /// Tries `rules` (suffix, replacement) in order; the first suffix that matches is replaced when the measure
    /// of its stem is above zero, and no other rule is tried.
    private mutating func applyFirst(_ rules: KeyValuePairs<String, String>) {
        for (suffix, replacement) in rules where ends(suffix) {
            replaceIfMeasured(replacement)
            return
        }
    }

    // MARK: - Steps

    private mutating func step1ab() {
        if word.last == UInt8(ascii: "s") {
            if ends("sses") {
                word.removeLast(2)
            } else if ends("ies") {
                setTo("i")
            } else if word[word.count - 2] != UInt8(ascii: "s") {
                word.removeLast()
            }
        }
        if ends("eed") {
            if measure() > 0 { word.removeLast() }
        } else if (ends("ed") || ends("ing")) && stemHasVowel() {
            word.removeSubrange(stemEnd...)
            if ends("at") {
                setTo("ate")
            } else if ends("bl") {
                setTo("ble")
            } else if ends("iz") {
                setTo("ize")
            } else if isDoubleConsonant(word.count - 1) {
                let last = word[word.count - 1]
                if last != UInt8(ascii: "l") && last != UInt8(ascii: "s") && last != UInt8(ascii: "z") {
                    word.removeLast()
                }
            } else {
                stemEnd = word.count
                if measure() == 1 && isCVC(word.count - 1) { word.append(UInt8(ascii: "e")) }
            }
        }
    }

    private mutating func step1c() {
        if ends("y") && stemHasVowel() { word[word.count - 1] = UInt8(ascii: "i") }
    }

    private mutating func step2() {
        applyFirst([
            "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
            "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
            "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
            "iviti": "ive", "biliti": "ble", "logi": "log",
        ])
    }

    private mutating func step3() {
        applyFirst([
            "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": "",
        ])
    }

    private mutating func step4() {
        let suffixes = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize",
        ]
        for suffix in suffixes where ends(suffix) {
            if suffix == "ion" {
                guard stemEnd > 0, word[stemEnd - 1] == UInt8(ascii: "s") || word[stemEnd - 1] == UInt8(ascii: "t")
                else {
                    continue
                }
            }
            if measure() > 1 { word.removeSubrange(stemEnd...) }
            return
        }
    }

    private mutating func step5() {
        stemEnd = word.count
        if word.last == UInt8(ascii: "e") {
            stemEnd = word.count - 1
            let measure = measure()
            if measure > 1 || measure == 1 && !isCVC(word.count - 2) { word.removeLast() }
        }
        stemEnd = word.count
        if word.last == UInt8(ascii: "l") && isDoubleConsonant(word.count - 1) && measure() > 1 { word.removeLast() }
    }
}
