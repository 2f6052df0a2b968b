import Foundation
import NewsCore
import NewsData
import Templates

/// The user-facing text of one language, read from a theme's `locales/<lang>.json`.
public struct Localization: Sendable {
    public let language: String
    /// The `ui` strings, passed to templates as `t`.
    public let ui: [String: String]
    /// The same, as templates read it.
    let uiValue: TemplateValue
    public let monthsGenitive: [String]

    private struct File: Decodable {
        var ui: [String: String]
        var monthsGenitive: [String]

        enum CodingKeys: String, CodingKey {
            case ui
            case monthsGenitive = "months_genitive"
        }
    }

    /// Loads `locales/<language>.json` from the first of `directories` that has it.
    public init(language: String, directories: [String]) throws {
        for directory in directories {
            let path = (directory as NSString).appendingPathComponent("locales/\(language).json")
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let file = try JSONDecoder().decode(File.self, from: data)
                // A text put beside `ui` instead of inside it would show as its key: refused at start.
                if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let stray = Set(object.keys).subtracting(["ui", "months_genitive"]).sorted().first
                {
                    throw DatabaseError("\(path): \"\(stray)\" is outside \"ui\", where every text belongs")
                }
                guard file.monthsGenitive.count == 12 else {
                    throw DatabaseError("\(path): months_genitive must list 12 months")
                }
                self.language = language
                self.ui = file.ui
                self.uiValue = .object(TemplateObject(file.ui.mapValues { .string($0) }))
                self.monthsGenitive = file.monthsGenitive
                return
            } catch let error as DatabaseError {
                throw error
            } catch {
                throw DatabaseError("The localisation file \(path) is not valid JSON: \(error)")
            }
        }
        throw DatabaseError("No localisation file locales/\(language).json in \(directories.joined(separator: ", ")).")
    }

    /// The text for `key` (the key itself when a theme lacks it, so the gap is visible, not fatal).
    public subscript(_ key: String) -> String { ui[key] ?? key }

    /// A count in words: the text of `key_<category>` for `n` in this language (`key_one`, `key_few`,
    /// `key_many` in Ukrainian; `key_one`, `key_other` in English), with `{n}` replaced by the number as the
    /// language writes it ("1 234 статті", "1,234 stories"). A missing form falls back to `key_other`, then
    /// `key_many`.
    public func count(_ key: String, _ n: Int) -> String {
        let category = PluralRules.category(n, language: language)
        let text = ui["\(key)_\(category)"] ?? ui["\(key)_other"] ?? ui["\(key)_many"] ?? key
        // (The standard library's replacing: Foundation's, through NSString, took 1.5 % of an article page.)
        return text.replacing("{n}", with: PluralRules.number(n, language: language))
    }

    /// The messages of a refused form's field errors, as one text.
    func messages(_ problems: [FieldError]) -> String { problems.map { self[$0.key] }.joined(separator: " ") }
}
