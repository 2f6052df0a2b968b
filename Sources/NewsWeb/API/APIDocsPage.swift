import Foundation
import Templates

/// The API's documentation for people (`/api/v1/docs`), made from the same OpenAPI document the code is generated
/// from: every operation with its parameters and responses, and every schema with its fields. Plain HTML, no
/// scripts.
struct APIDocsPage {
    let document: APIDocument

    private typealias Object = [String: any Sendable]

    private static let methods = ["get", "post", "put", "patch", "delete"]

    func view(_ view: ViewBuilder) -> TemplateObject {
        let tree = document.tree
        let info = tree["info"] as? Object ?? [:]
        var data = view.root(title: view.t["api_docs_title"], path: SiteURL.apiDocs.path)
        let paths = tree["paths"] as? Object ?? [:]
        var operations: [TemplateValue] = []
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? Object else { continue }
            for method in Self.methods {
                guard let operation = item[method] as? Object else { continue }
                operations.append(self.operation(operation, method: method, path: path))
            }
        }
        let components = tree["components"] as? Object ?? [:]
        let schemas = components["schemas"] as? Object ?? [:]
        data["api"] = [
            "title": .string(info["title"] as? String ?? ""), "version": .string(info["version"] as? String ?? ""),
            "summary": .string(info["summary"] as? String ?? ""),
            "description": Self.paragraphs(info["description"] as? String),
            "document": .string(SiteURL.apiDocument.path),
            "base": .string(((tree["servers"] as? [any Sendable])?.first as? Object)?["url"] as? String ?? ""),
            "operations": .list(operations),
            "schemas": .list(schemas.keys.sorted().map { name in schema(name, schemas[name] as? Object ?? [:]) }),
        ]
        return data
    }

    private func operation(_ operation: Object, method: String, path: String) -> TemplateValue {
        let parameters = (operation["parameters"] as? [any Sendable] ?? []).compactMap { resolve($0) }
        let responses = operation["responses"] as? Object ?? [:]
        return [
            "id": .string(operation["operationId"] as? String ?? ""), "method": .string(method.uppercased()),
            "path": .string(path), "summary": .list(Self.runs(operation["summary"] as? String ?? "")),
            "description": Self.paragraphs(operation["description"] as? String),
            "parameters": .list(
                parameters.map { parameter in
                    [
                        "name": .string(parameter["name"] as? String ?? ""),
                        "in": .string(parameter["in"] as? String ?? ""),
                        "required": .bool(parameter["required"] as? Bool ?? false),
                        "type": .string(type(of: parameter["schema"] as? Object ?? [:])),
                        "description": .list(Self.runs(parameter["description"] as? String ?? "")),
                    ]
                }),
            "responses": .list(
                responses.keys.sorted().map { code in
                    let response = resolve(responses[code] ?? "") ?? [:]
                    let content = (response["content"] as? Object)?["application/json"] as? Object
                    return [
                        "code": .string(code),
                        "description": .list(Self.runs(response["description"] as? String ?? "")),
                        "type": .string(content.map { type(of: $0["schema"] as? Object ?? [:]) } ?? ""),
                    ]
                }),
        ]
    }

    private func schema(_ name: String, _ schema: Object) -> TemplateValue {
        let required = Set((schema["required"] as? [any Sendable] ?? []).compactMap { $0 as? String })
        let properties = schema["properties"] as? Object ?? [:]
        return [
            "name": .string(name), "anchor": .string("schema-" + name),
            "description": .list(Self.runs(schema["description"] as? String ?? "")),
            "type": .string(properties.isEmpty ? type(of: schema) : ""),
            "properties": .list(
                properties.keys.sorted().map { property in
                    let definition = properties[property] as? Object ?? [:]
                    return [
                        "name": .string(property), "required": .bool(required.contains(property)),
                        "type": .string(type(of: definition)),
                        "description": .list(Self.runs(definition["description"] as? String ?? "")),
                    ]
                }),
        ]
    }

    /// A parameter or response, following a `$ref` into the components.
    private func resolve(_ value: any Sendable) -> Object? {
        guard let object = value as? Object else { return nil }
        guard let reference = object["$ref"] as? String else { return object }
        var node: (any Sendable)? = document.tree
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? Object)?[String(part)] }
        return node as? Object
    }

    /// A schema in a few words: "string (date-time)", "array of Tag", "one of …", "paragraph | heading".
    private func type(of schema: Object) -> String {
        if let reference = schema["$ref"] as? String { return String(reference.split(separator: "/").last ?? "") }
        if let choices = schema["oneOf"] as? [any Sendable] {
            return choices.compactMap { $0 as? Object }.map { type(of: $0) }.joined(separator: " | ")
        }
        let base =
            (schema["type"] as? String) ?? (schema["type"] as? [any Sendable])?.compactMap { $0 as? String }
            .joined(separator: " | ") ?? ""
        if base == "array" { return "array of " + type(of: schema["items"] as? Object ?? [:]) }
        var text = base
        if let format = schema["format"] as? String { text += " (\(format))" }
        if let values = schema["enum"] as? [any Sendable] {
            text += ": " + values.map { "\($0)" }.joined(separator: ", ")
        }
        return text
    }

    /// Text with blank lines between paragraphs, as a list of paragraphs, each a list of runs: the document's
    /// `code` and **strong** marks become `code` and `strong` runs (the template escapes every run's text).
    private static func paragraphs(_ text: String?) -> TemplateValue {
        .list(
            (text ?? "").components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }.map { .list(runs($0.replacingOccurrences(of: "\n", with: " "))) })
    }

    /// `text` cut at its marks: between backticks is code, between double asterisks is strong.
    static func runs(_ text: String) -> [TemplateValue] {
        var runs: [TemplateValue] = []
        for (index, part) in text.components(separatedBy: "`").enumerated() where !part.isEmpty {
            if index % 2 == 1 {
                runs.append(["text": .string(part), "code": .bool(true)])
                continue
            }
            for (inner, piece) in part.components(separatedBy: "**").enumerated() where !piece.isEmpty {
                runs.append(["text": .string(piece), "strong": .bool(inner % 2 == 1)])
            }
        }
        return runs
    }
}
