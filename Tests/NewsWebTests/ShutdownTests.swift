import Dispatch
import Foundation
import NewsData
import SQLKit
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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
                let socket = try RawSocket(port: server.port)
                defer { socket.close() }
                try socket.send(Array(head.utf8) + body[..<20])
                try await Task.sleep(for: .milliseconds(300))
                server.terminate()
                try await Task.sleep(for: .seconds(1))
                #expect(server.isRunning, "the node waits for the request in flight")
                try socket.send(Array(body[20...]))
                let answer = await socket.readToEnd(timeout: 20)
                let text = String(decoding: answer, as: UTF8.self)
                let parts = text.components(separatedBy: "\r\n\r\n")
                let status = parts.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(status == 201, "the story is created: \(text.prefix(300))")
                let length = parts.first?.split(separator: "\r\n").first {
                    $0.lowercased().hasPrefix("content-length:")
                }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
                let received = answer.count - (parts.first?.utf8.count ?? 0) - 4
                #expect(length != nil && received == length, "its whole body: \(received) of \(length ?? -1) bytes")
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

/// A plain TCP connection to the loopback address, for a request sent in pieces.
private final class RawSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerProcessError(message: "no socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw ServerProcessError(message: "cannot connect to port \(port)")
        }
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw ServerProcessError(message: "the connection was closed while sending") }
            offset += sent
        }
    }

    /// Everything the peer sends until it closes the connection, or until `timeout` seconds pass without a byte.
    func readToEnd(timeout: Int) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [descriptor] in
                var limit = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break }
                    received += buffer[..<count]
                }
                continuation.resume(returning: received)
            }
        }
    }

    func close() { Glibc.close(descriptor) }
}
