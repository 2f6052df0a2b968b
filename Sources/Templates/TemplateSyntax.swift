import Foundation

/// A template parsed once, when the theme is loaded: the Mustache syntax the themes use (variables, sections,
/// inverted sections, partials, parents with blocks, comments) as a tree the renderer walks.
///
/// Tags alone on their line (sections, partials, comments and the like, with only spaces around them) take the
/// line with them, as the Mustache specification asks; so templates can be laid out readably without blank lines
/// in the page.
public struct ParsedTemplate: Sendable {
    let nodes: [TemplateNode]
}

/// A name as a template writes it: `a.b` (found anywhere up the context stack), `.a.b` (in the current
/// context only), `.` (the current context), `first()` / `last()` (where the loop over a list is), or a
/// transform of a name: `first(list)`, `last(list)`, `empty(list or text)`, `count(list or text)`.
enum TemplatePath: Sendable, Equatable {
    case current
    case name(first: String, rest: [String], anchored: Bool)
    case firstInLoop
    case lastInLoop
    indirect case transformed(Transform, TemplatePath)

    enum Transform: String, Sendable {
        case first, last, empty, count
    }
}

enum TemplateNode: Sendable {
    case text([UInt8])
    case variable(TemplatePath, escaped: Bool)
    case section(TemplatePath, inverted: Bool, [TemplateNode])
    case partial(String, indentation: [UInt8])
    /// `{{<name}}…{{/name}}`: the template `name` with these blocks replaced.
    case parent(String, blocks: [String: [TemplateNode]], indentation: [UInt8])
    /// `{{$name}}default{{/name}}`: a block a child template may replace.
    case block(String, [TemplateNode])
}

/// Why a template cannot be used, with the line it is on.
public struct TemplateSyntaxError: Error, CustomStringConvertible, Equatable {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

extension ParsedTemplate {
    /// Parses `text`. The work is linear in its length: every step consumes at least one byte.
    public init(_ text: String) throws {
        var scanner = TemplateScanner(Array(text.utf8))
        let pieces = try scanner.scan()
        var parser = TreeBuilder(pieces: Self.removingStandaloneLines(pieces))
        nodes = try parser.build(closing: nil)
    }

    /// A piece of a template: text (no newlines inside), a newline, or a tag.
    enum Piece: Equatable {
        case text([UInt8])
        case newline([UInt8])
        case tag(Tag)
    }

    struct Tag: Equatable {
        enum Kind: Equatable {
            case variable, unescaped, section, inverted, close, partial, parent, block, comment, pragma
        }
        var kind: Kind
        var name: String
        var line: Int
        /// Spaces before a partial that stood alone on its line (its lines are indented by them).
        var indentation: [UInt8] = []

        /// Tags that vanish with their line when they stand alone on it.
        var canStandAlone: Bool { kind != .variable && kind != .unescaped }
    }

    /// Drops each line that holds only spaces and one tag that can stand alone, keeping the tag.
    static func removingStandaloneLines(_ pieces: [Piece]) -> [Piece] {
        var result: [Piece] = []
        result.reserveCapacity(pieces.count)
        var lineStart = 0
        while lineStart < pieces.count {
            var lineEnd = lineStart
            while lineEnd < pieces.count, !pieces[lineEnd].isNewline { lineEnd += 1 }
            let line = pieces[lineStart..<lineEnd]
            let tags = line.compactMap(\.tag)
            let onlySpaces = line.allSatisfy { $0.tag != nil || $0.isBlank }
            if tags.count == 1, var tag = tags.first, tag.canStandAlone, onlySpaces {
                if tag.kind == .partial || tag.kind == .parent, let first = line.first, case .text(let spaces) = first {
                    tag.indentation = spaces
                }
                result.append(.tag(tag))
            } else {
                result.append(contentsOf: line)
                if lineEnd < pieces.count { result.append(pieces[lineEnd]) }
            }
            lineStart = lineEnd + 1
        }
        return result
    }
}

extension ParsedTemplate.Piece {
    var isNewline: Bool { if case .newline = self { true } else { false } }
    var tag: ParsedTemplate.Tag? { if case .tag(let tag) = self { tag } else { nil } }
    var isBlank: Bool {
        if case .text(let bytes) = self { return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        return false
    }
}

/// Cuts a template's bytes into text, newlines and tags.
private struct TemplateScanner {
    let bytes: [UInt8]
    var position = 0
    var line = 1

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func scan() throws -> [ParsedTemplate.Piece] {
        var pieces: [ParsedTemplate.Piece] = []
        var textStart = 0
        func flushText(upTo end: Int) {
            if end > textStart { pieces.append(.text(Array(bytes[textStart..<end]))) }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0A || (byte == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A) {
                flushText(upTo: position)
                let length = byte == 0x0A ? 1 : 2
                pieces.append(.newline(Array(bytes[position..<position + length])))
                position += length
                line += 1
                textStart = position
            } else if byte == 0x7B, position + 1 < bytes.count, bytes[position + 1] == 0x7B {
                flushText(upTo: position)
                pieces.append(.tag(try tag()))
                textStart = position
            } else {
                position += 1
            }
        }
        flushText(upTo: position)
        return pieces
    }

    /// Reads the tag at `position` (which is at its `{{`) and moves past it.
    private mutating func tag() throws -> ParsedTemplate.Tag {
        let startLine = line
        position += 2
        guard position < bytes.count else { throw TemplateSyntaxError(line: startLine, message: "a tag is not closed") }
        var closing: [UInt8] = [0x7D, 0x7D]
        let kind: ParsedTemplate.Tag.Kind
        switch bytes[position] {
        case UInt8(ascii: "#"): kind = .section
        case UInt8(ascii: "^"): kind = .inverted
        case UInt8(ascii: "/"): kind = .close
        case UInt8(ascii: ">"): kind = .partial
        case UInt8(ascii: "<"): kind = .parent
        case UInt8(ascii: "$"): kind = .block
        case UInt8(ascii: "!"): kind = .comment
        case UInt8(ascii: "%"): kind = .pragma
        case UInt8(ascii: "&"): kind = .unescaped
        case UInt8(ascii: "{"):
            kind = .unescaped
            closing = [0x7D, 0x7D, 0x7D]
        case UInt8(ascii: "="):
            throw TemplateSyntaxError(line: startLine, message: "changing the delimiters ({{=…=}}) is not supported")
        default: kind = .variable
        }
        if kind != .variable { position += 1 }
        let contentStart = position
        guard let end = find(closing, from: position) else {
            throw TemplateSyntaxError(
                line: startLine, message: "a tag is not closed with \(String(decoding: closing, as: UTF8.self))")
        }
        for byte in bytes[contentStart..<end] where byte == 0x0A { line += 1 }
        position = end + closing.count
        let name = String(decoding: bytes[contentStart..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if kind != .comment, kind != .pragma {
            guard !name.isEmpty else { throw TemplateSyntaxError(line: startLine, message: "a tag has no name") }
            guard !name.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) else {
                throw TemplateSyntaxError(line: startLine, message: "the tag name \"\(name)\" is not valid")
            }
        }
        return ParsedTemplate.Tag(kind: kind, name: name, line: startLine)
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

/// Nests the pieces into sections, partials, parents and blocks.
private struct TreeBuilder {
    let pieces: [ParsedTemplate.Piece]
    var position = 0
    var depth = 0
    /// Sections, blocks and parents nest at most this deep (a page needs a handful; a bound keeps the stack safe).
    static let maxDepth = 100

    init(pieces: [ParsedTemplate.Piece]) {
        self.pieces = pieces
    }

    /// Nodes up to the close tag of `closing` (or the end, for the template itself).
    mutating func build(closing: ParsedTemplate.Tag?) throws -> [TemplateNode] {
        if let closing, depth >= Self.maxDepth {
            throw TemplateSyntaxError(line: closing.line, message: "sections nest deeper than \(Self.maxDepth)")
        }
        depth += 1
        defer { depth -= 1 }
        var nodes: [TemplateNode] = []
        while position < pieces.count {
            let piece = pieces[position]
            position += 1
            switch piece {
            case .text(let bytes), .newline(let bytes):
                if case .text(let previous) = nodes.last {
                    nodes[nodes.count - 1] = .text(previous + bytes)
                } else {
                    nodes.append(.text(bytes))
                }
            case .tag(let tag):
                switch tag.kind {
                case .comment, .pragma:
                    continue
                case .variable, .unescaped:
                    nodes.append(.variable(try Self.path(tag), escaped: tag.kind == .variable))
                case .section, .inverted:
                    let children = try build(closing: tag)
                    nodes.append(.section(try Self.path(tag), inverted: tag.kind == .inverted, children))
                case .partial:
                    nodes.append(.partial(tag.name, indentation: tag.indentation))
                case .block:
                    nodes.append(.block(tag.name, try build(closing: tag)))
                case .parent:
                    var blocks: [String: [TemplateNode]] = [:]
                    for child in try build(closing: tag) {
                        switch child {
                        case .block(let name, let content): blocks[name] = content
                        case .text: continue
                        default:
                            throw TemplateSyntaxError(
                                line: tag.line, message: "{{<\(tag.name)}} may hold only {{$blocks}} and text")
                        }
                    }
                    nodes.append(.parent(tag.name, blocks: blocks, indentation: tag.indentation))
                case .close:
                    guard let closing else {
                        throw TemplateSyntaxError(line: tag.line, message: "{{/\(tag.name)}} closes nothing")
                    }
                    guard tag.name == closing.name else {
                        throw TemplateSyntaxError(
                            line: tag.line,
                            message: "{{/\(tag.name)}} closes {{\(closing.name)}} of line \(closing.line)")
                    }
                    return nodes
                }
            }
        }
        if let closing {
            throw TemplateSyntaxError(line: closing.line, message: "{{\(closing.name)}} is never closed")
        }
        return nodes
    }

    static func path(_ tag: ParsedTemplate.Tag) throws -> TemplatePath {
        switch tag.name {
        case ".": return .current
        case "first()": return .firstInLoop
        case "last()": return .lastInLoop
        default: break
        }
        if let open = tag.name.firstIndex(of: "("), tag.name.hasSuffix(")") {
            let inner = String(tag.name[tag.name.index(after: open)..<tag.name.index(before: tag.name.endIndex)])
            guard let transform = TemplatePath.Transform(rawValue: String(tag.name[..<open])), !inner.isEmpty else {
                throw TemplateSyntaxError(line: tag.line, message: "the transform in \"\(tag.name)\" is not known")
            }
            var innerTag = tag
            innerTag.name = inner
            return .transformed(transform, try path(innerTag))
        }
        let anchored = tag.name.hasPrefix(".")
        let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).dropFirst(anchored ? 1 : 0)
        guard let first = parts.first, parts.allSatisfy({ !$0.isEmpty && !$0.contains("(") }) else {
            throw TemplateSyntaxError(line: tag.line, message: "the name \"\(tag.name)\" is not valid")
        }
        // Lists have no numbered members here: "list.0" would always be missing, silently.
        if parts.contains(where: { $0.allSatisfy(\.isNumber) }) {
            throw TemplateSyntaxError(
                line: tag.line,
                message: "\"\(tag.name)\": lists have no numbered members; use first(list) or empty(list)")
        }
        return .name(first: String(first), rest: parts.dropFirst().map(String.init), anchored: anchored)
    }
}
