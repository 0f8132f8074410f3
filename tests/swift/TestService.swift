import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real reference service the runner started for these tests (URL and reviewer token in
/// the environment), and the reviewer's side of it over plain HTTP, as the console speaks it.
struct TestService {
    let url: String
    private let reviewerToken: String

    static func fromEnvironment() throws -> TestService {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["IDENTITY_PASS_SERVICE_URL"], let token = environment["IDENTITY_PASS_REVIEWER_TOKEN"] else {
            throw TestFailure("run through tests/run-swift-linux.sh, which starts the service")
        }
        return TestService(url: url.hasSuffix("/") ? String(url.dropLast()) : url, reviewerToken: token)
    }

    /// A reviewer action (`call`, `join`, `leave`, `decision`) on a request.
    func review(_ requestId: String, _ action: String, json: String = "{}") async throws {
        guard let endpoint = URL(string: "\(url)/v1/review/requests/\(requestId)/\(action)") else { throw URLError(.badURL) }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("Bearer \(reviewerToken)", forHTTPHeaderField: "Authorization")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw TestFailure("reviewer \(action): \(status) \(String(decoding: body, as: UTF8.self))")
        }
    }
}

/// A failure whose text XCTest prints as is.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
