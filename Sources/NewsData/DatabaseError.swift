import PostgresNIO
import SQLiteNIO

/// Errors of the storage layer that an operator or a user must be able to read.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in words that name the file, server or row involved.
    public let description: String
    /// The database cannot be used now (closed, shut down), as opposed to something wrong with one query.
    public let isUnavailable: Bool

    /// Creates an error with a readable message.
    public init(_ description: String, unavailable: Bool = false) {
        self.description = description
        self.isUnavailable = unavailable
    }
}

extension Database {
    /// Whether `error` says the database cannot be reached or used right now (rather than that one query or one
    /// write was wrong): the server answers 503 with `Retry-After` for these, not 500, and nothing was stored.
    ///
    /// - SQLite: the database closed, busy past the wait, locked, or its file unreadable or unwritable.
    /// - PostgreSQL: no connection (refused, closed, the pool shut down or giving up connecting), and the server's
    ///   SQL states of class 08 (connection exception), 57P (shutting down, starting up) and 53300 (too many
    ///   connections).
    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let error as DatabaseError: return error.isUnavailable
        case let error as SQLiteError:
            switch error.reason {
            case .busy, .locked, .busyTimeout, .cantOpen, .ioError, .full, .readOnly, .readonlyCantLock: return true
            default: return false
            }
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return true
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
            default: return false
            }
        default:
            // PostgresNIO's pool reports a shut-down pool, or one that gave up making connections, with a type of its
            // underscored module; it is recognised by name rather than by importing that module.
            guard String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") else { return false }
            let text = String(describing: error)
            return text.contains("poolShutdown") || text.contains("CircuitBreaker")
        }
    }
}
