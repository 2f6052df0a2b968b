import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import NewsWeb
import TestSupport
import Testing

/// Idle and slow clients cannot hold the server (issue #8, item 2): with 2,000 idle sockets and 200 half-sent
/// requests open, a normal client still gets pages at once, and the server closes the slow ones at its deadline.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    /// Opens `count` connections to `port`, `batch` at a time; each sends `prefix` (maybe nothing).
    static func open(_ count: Int, to port: Int, sending prefix: String, batch: Int = 200) async throws -> [any Channel]
    {
        var channels: [any Channel] = []
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        var opened = 0
        while opened < count {
            let size = min(batch, count - opened)
            let futures = (0..<size).map { _ in bootstrap.connect(host: "127.0.0.1", port: port) }
            for future in futures {
                let channel = try await future.get()
                if !prefix.isEmpty {
                    try await channel.writeAndFlush(ByteBuffer(string: prefix))
                }
                channels.append(channel)
            }
            opened += size
        }
        return channels
    }

    /// The home page's status, over a connection of its own: the test framework's one connection is itself an
    /// idle keep-alive connection between requests, which these short limits would close under the test.
    static func home(_ port: Int) async throws -> HTTPResponse.Status {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/").status }
    }

    @Test("2,000 idle sockets and 200 half-sent requests neither stop others nor stay open")
    func slowClients() async throws {
        try await withSite(
            .sqlite, mode: .live,
            configure: {
                $0.connections = ConnectionLimits(
                    headerTimeout: .seconds(3), keepAliveTimeout: .seconds(3), bodyIdleTimeout: .seconds(3),
                    maxConnections: 4000)
            }
        ) { client, _ in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let idle = try await Self.open(2000, to: port, sending: "")
            let halfSent = try await Self.open(
                200, to: port, sending: "GET / HTTP/1.1\r\nHost: news.example\r\nX-Slow: ")
            // Others are served while all of them are open.
            var times: [Duration] = []
            for _ in 0..<7 {
                let begin = ContinuousClock.now
                let page = try await Self.home(port)
                times.append(ContinuousClock.now - begin)
                #expect(page == .ok)
            }
            let median = times.sorted()[times.count / 2]
            #expect(median < .milliseconds(100), "median \(median) with \(idle.count + halfSent.count) slow sockets")
            // Every slow socket is closed by the server once its header deadline passes (bounded: 15 s at most).
            let deadline = started + .seconds(15)
            for channel in idle + halfSent {
                while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(idle.filter(\.isActive).count == 0)
            #expect(halfSent.filter(\.isActive).count == 0)
            for channel in idle + halfSent where channel.isActive { try? await channel.close() }
            #expect(try await Self.home(port) == .ok)
        }
    }

    @Test("1,000 clients sending a header one byte a second neither stop others nor outlast the header deadline")
    func tricklingClients() async throws {
        try await withSite(
            .sqlite, mode: .live,
            configure: {
                $0.connections = ConnectionLimits(
                    headerTimeout: .seconds(4), keepAliveTimeout: .seconds(4), bodyIdleTimeout: .seconds(4),
                    maxConnections: 4000)
            }
        ) { client, _ in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let request = Array("GET / HTTP/1.1\r\nHost: news.example\r\nX-Slow: " + String(repeating: "a", count: 60))
            let trickling = try await Self.open(1000, to: port, sending: String(request[0]))
            // One more byte on every socket each second (a byte never completes the head, nor moves its deadline),
            // while a normal client asks for the home page.
            var times: [Duration] = []
            for second in 1..<9 {
                for channel in trickling where channel.isActive {
                    channel.writeAndFlush(ByteBuffer(string: String(request[second])), promise: nil)
                }
                let begin = ContinuousClock.now
                let page = try await Self.home(port)
                times.append(ContinuousClock.now - begin)
                #expect(page == .ok)
                try await Task.sleep(until: started + .seconds(second), clock: .continuous)
            }
            let median = times.sorted()[times.count / 2]
            // A server held up by the slow sockets would answer in seconds, if at all; the normal client also writes
            // the 1,000 sockets' bytes itself just before it asks (a median of 102 ms was seen on a busy machine).
            #expect(median < .milliseconds(500), "median \(median) with 1,000 trickling sockets")
            // Closed at the header deadline (4 s) although they kept sending until 8 s: by 10 s at the latest (a
            // deadline that each byte moved would keep them open until 12 s).
            let deadline = started + .seconds(10)
            for channel in trickling {
                while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(trickling.filter(\.isActive).count == 0)
            for channel in trickling where channel.isActive { try? await channel.close() }
            #expect(try await Self.home(port) == .ok)
        }
    }

    @Test("an idle keep-alive connection is closed after the keep-alive timeout, a slow body after the body timeout")
    func keepAliveAndBody() async throws {
        try await withSite(
            .sqlite, demo: false, mode: .live,
            configure: {
                $0.connections = ConnectionLimits(
                    headerTimeout: .seconds(5), keepAliveTimeout: .seconds(1), bodyIdleTimeout: .seconds(1))
            }
        ) { client, _ in
            let port = try #require(client.port)
            let request = "GET /static/site.css HTTP/1.1\r\nHost: news.example\r\n\r\n"
            let keepAlive = try await Self.open(1, to: port, sending: request)[0]
            let body = try await Self.open(
                1, to: port,
                sending: "POST /admin/login HTTP/1.1\r\nHost: news.example\r\nContent-Length: 100\r\n\r\nemail=")[0]
            let deadline = ContinuousClock.now + .seconds(4)
            for channel in [keepAlive, body] {
                while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(!keepAlive.isActive)
            #expect(!body.isActive)
        }
    }
}
