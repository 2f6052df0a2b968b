import Foundation
import NIOCore
import NewsData
import Templates

/// A loaded theme: templates, static files and text. Loaded once at start; a newspaper's own theme
/// directory overrides the default theme file by file, without recompiling.
public struct Theme: Sendable {
    let library: TemplateLibrary
    /// Static files (CSS, JS) by name, with a content hash for cache-busting URLs and ETags.
    let assets: [String: Asset]
    public let localization: Localization

    struct Asset: Sendable {
        let data: Data
        let contentType: String
        let hash: String
    }

    /// Loads the theme in `directory`, falling back to `defaultDirectory` for anything it lacks.
    public init(directory: String, defaultDirectory: String, language: String) async throws {
        let directories = directory == defaultDirectory ? [directory] : [directory, defaultDirectory]
        for candidate in directories where !FileManager.default.fileExists(atPath: candidate + "/templates") {
            if candidate == directory {
                throw DatabaseError("The theme directory \(candidate) has no templates/ folder.")
            }
        }
        var library = TemplateLibrary()
        for folder in directories.reversed() {
            let templatesPath = folder + "/templates"
            guard FileManager.default.fileExists(atPath: templatesPath) else { continue }
            for name in Self.templateNames(in: templatesPath) {
                let path = templatesPath + "/" + name + ".mustache"
                do {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw DatabaseError("it cannot be read")
                    }
                    library.register(try ParsedTemplate(String(decoding: data, as: UTF8.self)), named: name)
                } catch {
                    throw DatabaseError("The template \(path) cannot be used: \(error)")
                }
            }
        }
        for required in ["pages/home", "pages/article", "pages/listing", "pages/error", "partials/feed-chunk"]
        where !library.contains(required) {
            throw DatabaseError("The theme lacks the template \(required).mustache.")
        }
        if let missing = library.missingReferences.first {
            throw DatabaseError("The theme's templates include \(missing).mustache, which it does not have.")
        }
        self.library = library
        var assets: [String: Asset] = [:]
        for folder in directories.reversed() {
            let staticPath = folder + "/static"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: staticPath)) ?? [] {
                guard let data = FileManager.default.contents(atPath: staticPath + "/" + name) else { continue }
                assets[name] = Asset(data: data, contentType: Self.contentType(of: name), hash: ContentHash.hex(data))
            }
        }
        self.assets = assets
        self.localization = try Localization(language: language, directories: directories)
    }

    private static func templateNames(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
            .map { String($0.dropLast(".mustache".count)) }
    }

    private static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// Renders the template `name` with `value`.
    func render(_ name: String, _ value: TemplateValue) -> String {
        library.render(name, value) ?? ""
    }

    /// Renders the template `name` with `value` into a response body.
    func page(_ name: String, _ value: TemplateValue) -> ByteBuffer {
        ByteBuffer(bytes: library.renderBytes(name, value) ?? [])
    }

    /// The theme's own files as templates read them (`assets.css`, …), with their cache-busting URLs.
    var assetURLs: TemplateValue {
        [
            "css": .string(assetURL("site.css")), "js": .string(assetURL("site.js")),
            "icon": .string(assetURL("favicon.svg")), "admincss": .string(assetURL("admin.css")),
            "adminjs": .string(assetURL("admin.js")), "editorjs": .string(assetURL("editor.js")),
            "uploaderjs": .string(assetURL("uploader.js")),
        ]
    }

    /// The URL of a static file with its content hash, so browsers may cache it for a year.
    func assetURL(_ name: String) -> String {
        SiteURL.asset(file: name).path + (assets[name].map { "?v=\($0.hash.prefix(10))" } ?? "")
    }
}

/// A short, stable content hash (FNV-1a, 64 bits, over 8-byte words) for ETags and cache-busting: the same bytes
/// give the same hash in every process and on every node.
enum ContentHash {
    static func hex(_ data: some Sequence<UInt8>) -> String {
        let hash = data.withContiguousStorageIfAvailable(Self.hash) ?? Array(data).withUnsafeBufferPointer(Self.hash)
        return String(hash, radix: 16)
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let raw = UnsafeRawBufferPointer(bytes)
        let words = raw.count / 8
        for index in 0..<words {
            hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))) &* prime
        }
        var tail = UInt64(raw.count - words * 8) << 56
        for (shift, byte) in raw[(words * 8)...].enumerated() { tail |= UInt64(byte) << (shift * 8) }
        return (hash ^ tail) &* prime
    }
}
