import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real reference service the runner started for these tests (URL and the seeded reviewer
/// accounts' password in the environment), and the reviewer's side of it: the seeded manager
/// signs in as a script does and acts over plain HTTP, as the console speaks it.
struct TestService {
    let url: String
    private let reviewerPassword: String
    /// The seeded people's manager, who reviews their requests.
    private static let reviewer = "maria@contoso.example"

    static func fromEnvironment() throws -> TestService {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["IDENTITY_PASS_SERVICE_URL"], let password = environment["IDENTITY_PASS_REVIEWER_PASSWORD"] else {
            throw TestFailure("run through tests/run-swift-linux.sh, which starts the service")
        }
        return TestService(url: url.hasSuffix("/") ? String(url.dropLast()) : url, reviewerPassword: password)
    }

    /// A reviewer action (`call`, `join`, `leave`, `decision`) on a request, by the manager
    /// signed in afresh (a struct keeps no session; a sign-in costs one request).
    func review(_ requestId: String, _ action: String, json: String = "{}") async throws {
        let signIn = try JSONSerialization.data(withJSONObject: ["upn": Self.reviewer, "password": reviewerPassword])
        let answer = try await post("/v1/review/tokens", bearer: nil, body: signIn, what: "reviewer sign-in")
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any], let token = object["token"] as? String else {
            throw TestFailure("no token in the sign-in answer")
        }
        _ = try await post("/v1/review/requests/\(requestId)/\(action)", bearer: token, body: Data(json.utf8), what: "reviewer \(action)")
    }

    private func post(_ path: String, bearer: String?, body: Data, what: String) async throws -> Data {
        guard let endpoint = URL(string: "\(url)\(path)") else { throw URLError(.badURL) }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (answer, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw TestFailure("\(what): \(status) \(String(decoding: answer, as: UTF8.self))")
        }
        return answer
    }
}

/// A failure whose text XCTest prints as is.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
