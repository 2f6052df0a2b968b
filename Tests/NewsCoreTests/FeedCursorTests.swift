import Foundation
import NewsCore
import Testing

@Suite("FeedCursor tokens")
struct FeedCursorTests {
    @Test("a token reads back as its cursor, in URL-safe characters only")
    func roundTrip() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let cursor = FeedCursor(
                publishedMillis: Int64.random(in: 0...253_402_300_799_000, using: &random),
                id: Int64.random(in: 1...Int64.max, using: &random))
            let token = cursor.token
            let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            #expect(token.allSatisfy { safe.contains($0) }, "\(token)")
            #expect(FeedCursor(token: token) == cursor, "\(token)")
        }
    }
}
