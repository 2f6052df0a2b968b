#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Searches for bytes in bytes with the C library's `memchr` and `memcmp`. The standard library's generic `firstRange(of:)` on
/// a string's UTF-8 view instantiates type metadata at every comparison and cost an import more than its parser;
/// this runs over whole article bodies and exports.
public enum ByteSearch {
    /// The offset of the first `needle` in `haystack`, `nil` when there is none (an empty needle is at 0).
    public static func firstOffset(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        let first = Int32(needle[0])
        var offset = 0
        while haystack.count - offset >= needle.count {
            guard let hit = memchr(base + offset, first, haystack.count - offset - needle.count + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - base
            if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return at }
            offset = at + 1
        }
        return nil
    }
}

extension ByteSearch {
    /// Whether two strings have the same UTF-8 bytes (for text already normalised, where this is equality and
    /// spares `String`'s Unicode-aware comparison).
    public static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    /// A hash of the string's UTF-8 bytes.
    public static func hashBytes(_ text: String) -> Int {
        var text = text
        var hasher = Hasher()
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
    }
}

extension String {
    /// Whether the string's UTF-8 bytes contain `pattern`'s: an exact byte search, no Unicode equivalence (use it
    /// for markup and ASCII patterns).
    public func containsBytes(_ pattern: String) -> Bool {
        var text = self
        var needle = pattern
        return text.withUTF8 { haystack in
            needle.withUTF8 { needle in
                ByteSearch.firstOffset(of: UnsafeRawBufferPointer(needle), in: UnsafeRawBufferPointer(haystack)) != nil
            }
        }
    }
}
