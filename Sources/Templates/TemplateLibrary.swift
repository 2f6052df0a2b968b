/// The theme's templates by name (`pages/article`, `partials/summary`, …), and their rendering.
///
/// Rendering walks the parsed tree once, appending bytes to one buffer and escaping each printed value for HTML;
/// names are looked up in ``TemplateValue`` objects, so an article page renders in tens of microseconds instead
/// of the milliseconds a reflective Mustache engine needs (see docs/adr/0005-own-template-renderer.md in the repository).
public struct TemplateLibrary: Sendable {
    private var templates: [String: ParsedTemplate] = [:]

    /// An empty library.
    public init() {}

    /// Adds (or replaces) the template `name`.
    public mutating func register(_ template: ParsedTemplate, named name: String) {
        templates[name] = template
    }

    public func contains(_ name: String) -> Bool { templates[name] != nil }

    /// The names of partials and parents that no registered template provides.
    public var missingReferences: [String] {
        var missing = Set<String>()
        func visit(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .partial(let name, _): if templates[name] == nil { missing.insert(name) }
                case .parent(let name, let blocks, _):
                    if templates[name] == nil { missing.insert(name) }
                    for block in blocks.values { visit(block) }
                case .section(_, _, let children), .block(_, let children): visit(children)
                case .text, .variable: continue
                }
            }
        }
        for template in templates.values { visit(template.nodes) }
        return missing.sorted()
    }

    /// Renders the template `name` with `value` as its root context; `nil` when there is no such template.
    public func render(_ name: String, _ value: TemplateValue) -> String? {
        renderBytes(name, value).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same as UTF-8 bytes, for a response body (no `String` made and checked on the way).
    public func renderBytes(_ name: String, _ value: TemplateValue) -> [UInt8]? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(library: self)
        renderer.output.reserveCapacity(64 * 1024)
        var context = Context(stack: [value])
        renderer.render(template.nodes, &context)
        return renderer.output
    }

    fileprivate func template(named name: String) -> ParsedTemplate? { templates[name] }

    /// Where a render is: the stack of contexts, the loop it is in, the blocks a child template replaced.
    fileprivate struct Context {
        var stack: [TemplateValue]
        var loop: (first: Bool, last: Bool)?
        var blocks: [String: [TemplateNode]] = [:]
    }

    /// Partials may include partials, but not without end: a theme whose partial includes itself gets an empty
    /// part at this depth instead of a crash.
    fileprivate static let maxDepth = 64

    fileprivate struct Renderer {
        let library: TemplateLibrary
        var output: [UInt8] = []
        var depth = 0

        mutating func render(_ nodes: [TemplateNode], _ context: inout Context) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    output.append(contentsOf: bytes)
                case .variable(let path, let escaped):
                    print(Self.resolve(path, in: context), escaped: escaped)
                case .section(let path, let inverted, let children):
                    section(Self.resolve(path, in: context), inverted: inverted, children, &context)
                // A partial, parent or block renders in the same stack of contexts (every section gives back what
                // it pushed), outside any loop: the stack is not copied for it.
                case .partial(let name, let indentation):
                    guard let template = library.template(named: name) else { continue }
                    let loop = context.loop
                    context.loop = nil
                    nested(template.nodes, &context, indentation: indentation)
                    context.loop = loop
                case .parent(let name, let blocks, let indentation):
                    guard let template = library.template(named: name) else { continue }
                    let (loop, outer) = (context.loop, context.blocks)
                    // The outermost child's blocks win over those of the templates it extends.
                    context.loop = nil
                    context.blocks = outer.merging(blocks) { outer, _ in outer }
                    nested(template.nodes, &context, indentation: indentation)
                    (context.loop, context.blocks) = (loop, outer)
                case .block(let name, let fallback):
                    let loop = context.loop
                    context.loop = nil
                    render(context.blocks[name] ?? fallback, &context)
                    context.loop = loop
                }
            }
        }

        /// A partial or parent: rendered with a depth limit, its lines indented like its tag.
        private mutating func nested(_ nodes: [TemplateNode], _ context: inout Context, indentation: [UInt8]) {
            guard depth < TemplateLibrary.maxDepth else { return }
            depth += 1
            defer { depth -= 1 }
            guard !indentation.isEmpty else { return render(nodes, &context) }
            let start = output.count
            render(nodes, &context)
            guard output.count > start else { return }
            var indented: [UInt8] = indentation
            for (offset, byte) in output[start...].enumerated() {
                indented.append(byte)
                if byte == 0x0A, start + offset + 1 < output.count { indented.append(contentsOf: indentation) }
            }
            output.replaceSubrange(start..., with: indented)
        }

        private mutating func section(
            _ value: TemplateValue?, inverted: Bool, _ children: [TemplateNode], _ context: inout Context
        ) {
            let value = value ?? .null
            if inverted {
                if value.isFalsy { render(children, &context) }
                return
            }
            switch value {
            case .null, .bool(false): return
            case .bool(true): render(children, &context)
            case .list(let items):
                let saved = context.loop
                for (index, item) in items.enumerated() {
                    context.stack.append(item)
                    context.loop = (index == 0, index == items.count - 1)
                    render(children, &context)
                    context.stack.removeLast()
                }
                context.loop = saved
            case .int, .string, .object:
                let saved = context.loop
                context.stack.append(value)
                context.loop = nil
                render(children, &context)
                context.stack.removeLast()
                context.loop = saved
            }
        }

        private mutating func print(_ value: TemplateValue?, escaped: Bool) {
            switch value {
            case .string(let text):
                if escaped { Self.appendEscaped(text, to: &output) } else { output.append(contentsOf: text.utf8) }
            case .int(let number): output.append(contentsOf: String(number).utf8)
            case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
            case .null, .list, .object, nil: return
            }
        }

        static func resolve(_ path: TemplatePath, in context: Context) -> TemplateValue? {
            switch path {
            case .current:
                return context.stack.last
            case .firstInLoop:
                return context.loop.map { .bool($0.first) }
            case .lastInLoop:
                return context.loop.map { .bool($0.last) }
            case .transformed(let transform, let inner):
                switch (transform, resolve(inner, in: context)) {
                case (.first, .list(let items)?): return items.first
                case (.last, .list(let items)?): return items.last
                case (.empty, .list(let items)?): return .bool(items.isEmpty)
                case (.empty, .string(let text)?): return .bool(text.isEmpty)
                case (.count, .list(let items)?): return .int(items.count)
                case (.count, .string(let text)?): return .int(text.count)
                default: return nil
                }
            case .name(let first, let rest, let anchored):
                var found: TemplateValue?
                if anchored {
                    found = context.stack.last?[first]
                } else {
                    // Innermost first; by position, so that no level is copied on the way.
                    var level = context.stack.count
                    while level > 0 {
                        level -= 1
                        if let member = context.stack[level][first] {
                            found = member
                            break
                        }
                    }
                }
                for name in rest {
                    guard let value = found else { return nil }
                    found = value[name]
                }
                return found
            }
        }

        /// Appends `text` with `&`, `<`, `>`, `"` and `'` as entities: the runs between them are copied whole.
        static func appendEscaped(_ text: String, to output: inout [UInt8]) {
            var text = text
            text.withUTF8 { bytes in
                var runStart = 0
                for index in bytes.indices {
                    let entity: StaticString
                    switch bytes[index] {
                    case UInt8(ascii: "&"): entity = "&amp;"
                    case UInt8(ascii: "<"): entity = "&lt;"
                    case UInt8(ascii: ">"): entity = "&gt;"
                    case UInt8(ascii: "\""): entity = "&quot;"
                    case UInt8(ascii: "'"): entity = "&#39;"
                    default: continue
                    }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    entity.withUTF8Buffer { output.append(contentsOf: $0) }
                    runStart = index + 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            }
        }
    }
}
