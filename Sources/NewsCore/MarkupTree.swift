import CLibXML2

/// A tree of markup read by libxml2: HTML as a browser would read it (the HTML parser closes what is left open,
/// ignores stray end tags and never gives up on bad markup), or well-formed XML. It is read through
/// ``MarkupNode``s, valid while the tree lives.
public final class MarkupTree {
    private let document: xmlDocPtr?
    private let isXML: Bool

    /// Parses `html` as the content of a page's body.
    public init(fragment html: String) {
        _ = MarkupTree.initialised
        let options: Int32 = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | UInt32(XML_PARSE_HUGE.rawValue))
        var html = html
        document = html.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, "UTF-8", options)
            }
        }
        isXML = false
    }

    /// Parses `bytes` as a whole XML document (UTF-8); `nil` when it is not well-formed. No DTD, entity or
    /// address outside the bytes is ever loaded.
    /// - Parameter recover: read what can be read of a document that is not well-formed.
    public init?(xml bytes: UnsafeRawBufferPointer, recover: Bool = false) {
        _ = MarkupTree.initialised
        let options: Int32 = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NOCDATA.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_COMPACT.rawValue
                | (recover ? XML_PARSE_RECOVER.rawValue : 0))
        guard bytes.count < Int(Int32.max),
            let document = xmlReadMemory(
                bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil, "UTF-8", options)
        else { return nil }
        self.document = document
        isXML = true
    }

    /// The document's root element (XML).
    public var root: MarkupNode? {
        guard let document, let root = xmlDocGetRootElement(document) else { return nil }
        return MarkupNode(pointer: root)
    }

    deinit {
        if let document { xmlFreeDoc(document) }
    }

    /// The top-level nodes of the fragment, in order: the children of the `<body>` the parser puts around them.
    /// (Parsed without that wrapper, libxml2 2.9 nests every later top-level element inside the first.)
    public var nodes: [MarkupNode] {
        guard let document, let root = xmlDocGetRootElement(document) else { return [] }
        if isXML { return [MarkupNode(pointer: root)] }
        let top = MarkupNode(pointer: root)
        guard let body = top.first(where: { $0.name == "body" }) else {
            return top.name == "html" ? [] : [top]
        }
        return body.children
    }

    /// libxml2 asks to be set up once before it is used from several threads.
    private static let initialised: Void = xmlInitParser()

    /// Calls `body` with the tree of `html`; the nodes must not be kept beyond the call.
    public static func with<T>(fragment html: String, _ body: ([MarkupNode]) throws -> T) rethrows -> T {
        let tree = MarkupTree(fragment: html)
        return try withExtendedLifetime(tree) { try body(tree.nodes) }
    }
}

/// One node of an ``MarkupTree``: an element, a run of text, or something to skip (comments and the like).
public struct MarkupNode: Equatable {
    let pointer: xmlNodePtr

    public enum Kind: Equatable {
        case element
        case text
        case other
    }

    static func list(from first: xmlNodePtr?) -> [MarkupNode] {
        var nodes: [MarkupNode] = []
        var next = first
        while let node = next {
            nodes.append(MarkupNode(pointer: node))
            next = node.pointee.next
        }
        return nodes
    }

    public var kind: Kind {
        switch pointer.pointee.type {
        case XML_ELEMENT_NODE: .element
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: .text
        default: .other
        }
    }

    /// The element's name in lower case ("" for text).
    public var name: String {
        guard kind == .element, let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The element's name with its namespace prefix, as written in XML ("wp:post_id").
    public var qualifiedName: String {
        guard let prefix = pointer.pointee.ns?.pointee.prefix else { return name }
        return String(cString: prefix) + ":" + name
    }

    /// The element children, in order.
    public var elements: [MarkupNode] { children.filter { $0.kind == .element } }

    /// The text of the first child element called `qualifiedName`, when there is one.
    public func value(_ qualifiedName: String) -> String? {
        children.first { $0.kind == .element && $0.qualifiedName == qualifiedName }?.textContent
    }

    /// The text of a text node ("" for elements).
    public var text: String {
        guard kind == .text, let content = pointer.pointee.content else { return "" }
        return String(cString: content)
    }

    public var children: [MarkupNode] { MarkupNode.list(from: pointer.pointee.children) }

    /// The value of attribute `name` (lower case), when present.
    public func attribute(_ name: String) -> String? {
        var next = pointer.pointee.properties
        while let attribute = next {
            if let attributeName = attribute.pointee.name, String(cString: attributeName) == name {
                var value = ""
                var child = attribute.pointee.children
                while let node = child {
                    if let content = node.pointee.content { value += String(cString: content) }
                    child = node.pointee.next
                }
                return value
            }
            next = attribute.pointee.next
        }
        return nil
    }

    /// Every attribute's name, in order.
    public var attributeNames: [String] {
        var names: [String] = []
        var next = pointer.pointee.properties
        while let attribute = next {
            if let name = attribute.pointee.name { names.append(String(cString: name)) }
            next = attribute.pointee.next
        }
        return names
    }

    /// Whether the element's `class` attribute lists `name`.
    public func hasClass(_ name: String) -> Bool {
        guard let classes = attribute("class") else { return false }
        return classes.split(whereSeparator: \.isWhitespace).contains { $0 == name }
    }

    /// Whether the element's `class` attribute has a class starting with `prefix`.
    public func hasClass(prefix: String) -> Bool {
        guard let classes = attribute("class") else { return false }
        return classes.split(whereSeparator: \.isWhitespace).contains { $0.hasPrefix(prefix) }
    }

    /// All the text under the node, in document order, without recursion (a tree may be 10,000 levels deep).
    public var textContent: String {
        if kind == .text { return text }
        var result = ""
        var stack: [xmlNodePtr] = []
        var next = pointer.pointee.children
        while true {
            guard let node = next else {
                guard let parent = stack.popLast() else { break }
                next = parent.pointee.next
                continue
            }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { result += String(cString: content) }
                next = node.pointee.next
            case XML_ELEMENT_NODE:
                let name = node.pointee.name.map { String(cString: $0) } ?? ""
                if MarkupNode.invisible.contains(name) {
                    next = node.pointee.next
                } else if name == "br" {
                    result += "\n"
                    next = node.pointee.next
                } else if let child = node.pointee.children {
                    stack.append(node)
                    next = child
                } else {
                    next = node.pointee.next
                }
            default:
                next = node.pointee.next
            }
        }
        return result
    }

    /// The first element under the node (the node itself included) that `matches`, searched without recursion.
    public func first(where matches: (MarkupNode) -> Bool) -> MarkupNode? {
        all(where: matches, limit: 1).first
    }

    /// The elements under the node (the node itself included) that `match`, in document order, at most `limit`.
    public func all(where match: (MarkupNode) -> Bool, limit: Int = .max) -> [MarkupNode] {
        var found: [MarkupNode] = []
        var stack: [xmlNodePtr] = [pointer]
        var children: [xmlNodePtr] = []
        while found.count < limit, let node = stack.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let element = MarkupNode(pointer: node)
            if match(element) { found.append(element) }
            children.removeAll(keepingCapacity: true)
            var child = node.pointee.children
            while let each = child {
                children.append(each)
                child = each.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return found
    }

    /// Elements whose content is never text a reader sees.
    public static let invisible: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "object", "embed", "svg", "math",
        "select", "textarea", "button", "input", "iframe", "canvas", "audio", "video", "source", "track", "map",
    ]
}
