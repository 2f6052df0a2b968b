import Foundation
import Testing

@testable import NewsWeb

/// The server hands memory freed after a burst back to the system (``MemoryTrim``), rather than keeping its resident
/// size at the highest burst's.
@Suite("Memory trim")
struct MemoryTrimTests {
    /// This process's anonymous resident memory, in KiB.
    static func anonymousKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test("memory freed inside the heap goes back to the system", .enabled(if: MemoryTrim.mallocTrim != nil))
    func trims() throws {
        let trim = try #require(MemoryTrim.mallocTrim)
        // 80 MB in small blocks (below the size malloc maps on its own), each written so it is resident; all freed
        // but the last, which keeps the heap's top in place: only a trim can return the rest.
        let blocks = (0..<80_000).map { _ -> UnsafeMutableRawPointer in
            let block = malloc(1000)!
            memset(block, 1, 1000)
            return block
        }
        for block in blocks.dropLast() { free(block) }
        let before = try Self.anonymousKiB()
        _ = trim(0)
        let after = try Self.anonymousKiB()
        free(blocks.last!)
        #expect(before - after > 40_000, "\(before) KiB before the trim, \(after) KiB after")
    }
}
