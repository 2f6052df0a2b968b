import Foundation
import NewsWeb
import Testing

/// Every text the code and the templates name is in both languages, inside `ui`: a missing one would show its key
/// ("error_person_email") to a journalist or a reader.
@Suite("Localisation files")
struct LocalizationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The keys named literally: `t["key"]`, `key: "key"`, `Key("key")` in Swift; `t.key` in templates.
    static func keysUsed() throws -> Set<String> {
        var keys: Set<String> = []
        let patterns: [(String, String)] = [
            ("swift", #"(?:\bt|localization|\.t)\["([a-z0-9_]+)"\]"#), ("swift", #"\bkey: "([a-z0-9_]+)""#),
            ("mustache", #"\bt\.([a-z0-9_]+)"#),
        ]
        for folder in ["Sources", "Themes/default/templates"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                for (ext, pattern) in patterns where url.pathExtension == ext {
                    let text = try String(contentsOf: url, encoding: .utf8)
                    let regex = try NSRegularExpression(pattern: pattern)
                    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                        if let range = Range(match.range(at: 1), in: text) { keys.insert(String(text[range])) }
                    }
                }
            }
        }
        return keys
    }

    /// The stems counted in Swift: `t.count("key", n)`.
    static func countedKeysUsed() throws -> Set<String> {
        var keys: Set<String> = []
        let regex = try NSRegularExpression(pattern: #"\.count\("([a-z0-9_]+)","#)
        let enumerator = FileManager.default.enumerator(
            at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { keys.insert(String(text[range])) }
            }
        }
        return keys
    }

    @Test("both languages have the same keys, and every key the code and templates name")
    func complete() throws {
        let used = try Self.keysUsed()
        #expect(used.count > 300, "the scan found the keys")
        let directories = [Self.root.appendingPathComponent("Themes/default").path]
        let uk = try Localization(language: "uk", directories: directories)
        let en = try Localization(language: "en", directories: directories)
        // Counted words (`t.count("stem", n)`) have the forms each language's plural rules ask for: one, few and
        // many in Ukrainian; one and other in English. Every other key is in both languages as it is.
        let counted = try Self.countedKeysUsed()
        #expect(counted.contains("reading_time") && counted.contains("stories_count"), "the scan found them")
        func keys(_ localization: Localization, forms: [String]) -> Set<String> {
            for stem in counted {
                let have = Set(
                    localization.ui.keys.filter { $0.hasPrefix(stem + "_") }.map { $0.dropFirst(stem.count + 1) })
                #expect(have == Set(forms.map { Substring($0) }), "\(localization.language) \(stem): \(have.sorted())")
            }
            return Set(localization.ui.keys.filter { key in !counted.contains { key.hasPrefix($0 + "_") } })
        }
        #expect(
            keys(uk, forms: ["one", "few", "many"]).symmetricDifference(keys(en, forms: ["one", "other"])).sorted()
                == [])
        #expect(used.subtracting(uk.ui.keys).sorted() == [], "used but missing")
        #expect(uk.ui.values.allSatisfy { !$0.isEmpty } && en.ui.values.allSatisfy { !$0.isEmpty })
    }

    @Test("a text beside `ui` instead of inside it is refused when the theme loads")
    func strayKeyRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l10n-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("locales"), withIntermediateDirectories: true)
        let months = Array(repeating: "\"м\"", count: 12).joined(separator: ",")
        try Data(#"{"ui": {"a": "б"}, "months_genitive": [\#(months)], "error_x": "загубиться"}"#.utf8).write(
            to: directory.appendingPathComponent("locales/uk.json"))
        #expect(throws: (any Error).self) { try Localization(language: "uk", directories: [directory.path]) }
    }
}
