import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The user's browser on the service's own pages (the password page), as far as these tests need
/// one: a GET and a form post, with the headers a browser sends (`Origin` on the post). Nothing
/// cached or kept between requests. Mirrors tests/kotlin/Browser.kt.
enum Browser {
    struct Page: CustomStringConvertible {
        let status: Int
        let headers: [String: String]
        let body: String
        /// A header's value, by its case-insensitive name.
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var description: String { "\(status) \(headers) \(body)" }
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String) async throws -> Page {
        guard let endpoint = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: endpoint)
        request.setValue("text/html", forHTTPHeaderField: "Accept")
        return try await exchange(request)
    }

    /// Posts `fields` as `application/x-www-form-urlencoded`, as a submitted form does.
    static func postForm(_ url: String, _ fields: [(String, String)], origin: String) async throws -> Page {
        guard let endpoint = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("text/html", forHTTPHeaderField: "Accept")
        request.setValue(origin, forHTTPHeaderField: "Origin")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&").utf8)
        return try await exchange(request)
    }

    /// The origin (`scheme://host:port`) of a URL, as a browser names it in `Origin`.
    static func originOf(_ url: String) throws -> String {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host else {
            throw TestFailure("not a URL: \(url)")
        }
        return "\(scheme)://\(host)\(parts.port.map { ":\($0)" } ?? "")"
    }

    private static func exchange(_ request: URLRequest) async throws -> Page {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP answer: \(response)") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return Page(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    /// `application/x-www-form-urlencoded` for a value: letters and digits as they are, a space
    /// as `+`, every other UTF-8 byte as `%XX`.
    private static func formEncode(_ value: String) -> String {
        value.utf8.map { byte -> String in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return String(UnicodeScalar(byte))
            case UInt8(ascii: " "):
                return "+"
            default:
                return String(format: "%%%02X", byte)
            }
        }.joined()
    }
}
