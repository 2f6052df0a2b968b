import NewsCore
import Testing

@Suite("Common words: a phrase asks the pairs of a common word and the next")
struct CommonWordsTests {
    static func pair(_ left: String, _ right: String) -> String { CommonWords.pair(left, right) }

    @Test("a common word is asked through its pair with the next word, wherever it stands")
    func units() {
        #expect(
            CommonWords.phraseUnits([["інший"], ["для"], ["організація"]])
                == [["інший"], [Self.pair("для", "організація")]])
        #expect(CommonWords.phraseUnits([["для"], ["організація"]]) == [[Self.pair("для", "організація")]])
        // Two in a row: each pairs with the next, and the last one is held by the pair before it.
        #expect(
            CommonWords.phraseUnits([["робота"], ["і"], ["в"], ["школа"]])
                == [["робота"], [Self.pair("і", "в")], [Self.pair("в", "школа")]])
        #expect(CommonWords.phraseUnits([["і"], ["в"]]) == [[Self.pair("і", "в")]])
        // A common last word after an uncommon one has no pair to be asked through: it is asked itself.
        #expect(CommonWords.phraseUnits([["мати"], ["і"]]) == [["мати"], ["і"]])
        // Every alternative of the common word with every alternative of the next.
        #expect(
            CommonWords.phraseUnits([["та", "той"], ["операційний", "операційна"]])
                == [
                    [
                        Self.pair("та", "операційний"), Self.pair("та", "операційна"), Self.pair("той", "операційний"),
                        Self.pair("той", "операційна"),
                    ]
                ])
    }

    @Test("a phrase without a word that is common in every form stays as it is")
    func unchanged() {
        #expect(CommonWords.phraseUnits([["міський"], ["рада"]]) == [["міський"], ["рада"]])
        // "коли" is also a form of "колоти": not common in every form.
        #expect(CommonWords.phraseUnits([["коли", "колоти"], ["рада"]]) == [["коли", "колоти"], ["рада"]])
        #expect(CommonWords.phraseUnits([["і"]]) == [["і"]])
        #expect(CommonWords.phraseUnits([]) == [])
    }

    @Test("the index holds each common term paired with every term of the next position, at its own position")
    func indexPairs() {
        var positions: [IndexPosition] = []
        TextAnalyzer.shared.forEachIndexPosition(in: "Інший для організації, та й годі") { positions.append($0) }
        #expect(positions.map(\.hasCommon) == [false, true, false, true, true, false])
        var document = ""
        positions[1].appendPairs(with: positions[2], to: &document)
        #expect(document == "/" + Self.pair("для", "організація"))
        document = ""
        positions[0].appendPairs(with: positions[1], to: &document)
        #expect(document.isEmpty)
        document = ""
        positions[3].appendPairs(with: positions[4], to: &document)
        #expect(document == positions[3].lexemes.map { "/" + Self.pair($0, "й") }.joined())
        #expect(!CommonWords.terms.contains { $0.contains(CommonWords.pairMark) })
    }
}
