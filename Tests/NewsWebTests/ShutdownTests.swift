import Foundation
import NIOCore
import NewsData
import SQLKit
import TestSupport
import Testing

/// Graceful shutdown (issue #15): a request that has arrived when SIGTERM comes is answered in full before the node
/// exits with status 0. Part of the several-node suite, which runs alone: it starts a server process.
extension ClusterTests {
    @Test("a request in flight when SIGTERM comes is answered in full, then the node exits with 0")
    func inFlightAcrossSIGTERM() async throws {
        let binary = CommandTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build shpalta first")
        try await TestDatabase.with(.sqlite) { database, paths in
            let (_, token) = try await ServerProcess.editorToken(database)
            let server = try await ServerProcess.start(
                ServerProcess.options(database, media: paths.media), log: paths.directory + "/server.log",
                binary: binary, root: Repository.root)
            do {
                // A story sent to the Admin API, its body half sent: the head has arrived and the token is good,
                // so the handler is reading the body, a request in flight.
                let body = Array(#"{"title":"Надіслано під час зупинки","lede":"Абзац, що прийшов останнім."}"#.utf8)
                let head =
                    "POST /api/v1/admin/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer \(token)\r\nContent-Length: \(body.count)\r\n\r\n"
                let (channel, collector) = try await RawCollector.connect(port: server.port)
                try await channel.writeAndFlush(ByteBuffer(bytes: Array(head.utf8) + body[..<20]))
                try await Task.sleep(for: .milliseconds(300))
                server.terminate()
                try await Task.sleep(for: .seconds(1))
                #expect(server.isRunning, "the node waits for the request in flight")
                try await channel.writeAndFlush(ByteBuffer(bytes: body[20...]))
                // The node closes the connection after its answer, as it shuts down.
                try await channel.closeFuture.get()
                let answer = try #require(collector.answers.first, "an answer: \(collector.text.prefix(300))")
                #expect(answer.status.hasPrefix("HTTP/1.1 201"), "the story is created: \(collector.text.prefix(300))")
                #expect(answer.body.readableBytes == Int(answer.fields["content-length"] ?? ""), "its whole body")
                #expect(await server.stop() == 0, "\(server.printed.suffix(1500))")
                let stored = try await database.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM articles WHERE title = 'Надіслано під час зупинки'")
                        .first()?.decode(column: "n", as: Int.self)
                }
                #expect(stored == 1, "acknowledged, so stored")
            } catch {
                server.kill()
                throw error
            }
        }
    }
}
