import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sets the request's client address: the socket's peer, unless that peer is a trusted reverse proxy, in which
/// case the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. From any other peer the
/// header is ignored, so nobody can choose the address their sign-in attempts are counted under.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !trustedProxies.isEmpty, trustedProxies.contains(context.clientAddress) else {
            return try await next(request, context)
        }
        var context = context
        context.clientAddress = trustedProxies.client(
            peer: context.clientAddress, forwardedFor: request.headers[values: .forwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// A list of addresses and CIDR blocks ("10.0.0.0/8", "::1", "127.0.0.1").
struct TrustedProxies: Sendable {
    private let entries: [(bytes: [UInt8], prefix: Int)]

    init(_ list: [String]) {
        entries = list.compactMap { item in
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let bytes = Self.bytes(of: String(first)) else { return nil }
            let prefix = parts.count > 1 ? Int(parts[1]) ?? -1 : bytes.count * 8
            guard (0...(bytes.count * 8)).contains(prefix) else { return nil }
            return (bytes, prefix)
        }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The client's address: `peer`, unless it is one of these proxies, and then the nearest address in the
    /// `X-Forwarded-For` values `forwardedFor` that is not (right to left: the last address not added by one of our
    /// own proxies is the client's).
    func client(peer: String, forwardedFor: [String]) -> String {
        guard !isEmpty, contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let client = hops.reversed().first(where: { !contains($0) }), !client.isEmpty else { return peer }
        return String(client.prefix(64))
    }

    func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return entries.contains { entry in
            guard entry.bytes.count == bytes.count else { return false }
            var bits = entry.prefix
            for index in bytes.indices where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if bytes[index] & mask != entry.bytes[index] & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6), or nil when it is not an address.
    static func bytes(of text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }
}
