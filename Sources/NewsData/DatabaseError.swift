/// Errors of the storage layer that an operator or a user must be able to read.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in words that name the file, server or row involved.
    public let description: String

    /// Creates an error with a readable message.
    public init(_ description: String) {
        self.description = description
    }
}
