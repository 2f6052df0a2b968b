import NewsCore
import Testing

@Suite("The set of terms kept by their hashes")
struct TermSetTests {
    @Test("answers as a set of the terms does, through growth and emptying")
    func asASet() {
        var generator = SystemRandomNumberGenerator()
        let letters = Array("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяabc'-0")
        for round in 0..<20 {
            var set = TermSet(capacity: round % 3 == 0 ? 1 : 64)
            var expected = Set<String>()
            for step in 0..<(round * 300) {
                let length = Int.random(in: 1...6, using: &generator)
                let term = String((0..<length).map { _ in letters.randomElement(using: &generator)! })
                let key = TermKey(term: term)
                #expect(set.contains(key) == expected.contains(term))
                #expect(set.insert(key) == expected.insert(term).inserted)
                #expect(set.contains(key))
                #expect(set.count == expected.count)
                if step == 1_000 {
                    set.removeAll()
                    expected.removeAll()
                    #expect(!set.contains(key))
                    #expect(set.count == 0)
                }
            }
        }
    }
}
