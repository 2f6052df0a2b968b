import NewsCore
import Testing

@Suite("UkrainianPlural")
struct UkrainianPluralTests {
    static let categories: [(Int, PluralCategory)] = [
        (0, .many), (1, .one), (2, .few), (3, .few), (4, .few), (5, .many), (6, .many), (9, .many), (10, .many),
        (11, .many), (12, .many), (13, .many), (14, .many), (15, .many), (19, .many), (20, .many), (21, .one),
        (22, .few), (23, .few), (24, .few), (25, .many), (30, .many), (31, .one), (100, .many), (101, .one),
        (102, .few), (104, .few), (105, .many), (111, .many), (112, .many), (114, .many), (121, .one), (122, .few),
        (1000, .many), (1001, .one), (1011, .many), (1_000_002, .few), (-1, .one), (-2, .few), (-5, .many),
        (-11, .many), (-21, .one), (Int.max, .many), (Int.min, .many),
    ]

    @Test(arguments: categories)
    func category(n: Int, expected: PluralCategory) {
        #expect(UkrainianPlural.category(n) == expected)
    }

    static let news: [(Int, String)] = [
        (0, "новин"), (1, "новина"), (2, "новини"), (4, "новини"), (5, "новин"), (11, "новин"), (12, "новин"),
        (21, "новина"), (22, "новини"), (25, "новин"), (101, "новина"), (111, "новин"),
    ]

    @Test(arguments: news)
    func choose(n: Int, expected: String) {
        #expect(UkrainianPlural.choose(n, one: "новина", few: "новини", many: "новин") == expected)
    }

    @Test func rawValues() {
        #expect(PluralCategory.one.rawValue == "one")
        #expect(PluralCategory.few.rawValue == "few")
        #expect(PluralCategory.many.rawValue == "many")
        #expect(PluralCategory(rawValue: "few") == .few)
    }
}
