import Foundation

/// The reviewer's side of the reference service, over plain HTTP as the console speaks it: the
/// seeded manager signs in, finds the user's request in the queue and acts on it. Blocking
/// calls: an XCUITest drives the app synchronously.
struct Reviewer {
    let serviceUrl: String
    let password: String
    /// The seeded people's manager, who reviews their requests.
    private let upn = "maria@contoso.example"

    /// The request `person` submitted for review, once it is in the reviewer's queue.
    func pendingRequest(of person: String, timeout: TimeInterval) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let queue = try json(try send("GET", "/v1/review/requests", bearer: try token()))
            let requests = queue["requests"] as? [[String: Any]] ?? []
            let submitted = requests.first { $0["upn"] as? String == person && $0["submitted_at"] is String }
            if let id = submitted?["request_id"] as? String { return id }
            Thread.sleep(forTimeInterval: 1)
        } while Date() < deadline
        throw ReviewerFailure("no submitted request of \(person)")
    }

    /// `call`, `join`, `leave` or `decision` on a request.
    func act(_ requestId: String, _ action: String, body: String = "{}") throws {
        _ = try send("POST", "/v1/review/requests/\(requestId)/\(action)", bearer: try token(), body: Data(body.utf8))
    }

    private func token() throws -> String {
        let signIn = try JSONSerialization.data(withJSONObject: ["upn": upn, "password": password])
        guard let token = try json(try send("POST", "/v1/review/tokens", bearer: nil, body: signIn))["token"] as? String else {
            throw ReviewerFailure("no token in the sign-in answer")
        }
        return token
    }

    private func json(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw ReviewerFailure("not a JSON object") }
        return object
    }

    private func send(_ method: String, _ path: String, bearer: String?, body: Data? = nil) throws -> Data {
        guard let url = URL(string: serviceUrl + path) else { throw ReviewerFailure("bad URL \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let answer = Answer()
        URLSession.shared.dataTask(with: request) { data, response, error in
            answer.set(data, (response as? HTTPURLResponse)?.statusCode ?? 0, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = answer.get()
        if let error { throw error }
        guard (200..<300).contains(status) else {
            throw ReviewerFailure("\(method) \(path): \(status) \(String(decoding: data ?? Data(), as: UTF8.self))")
        }
        return data ?? Data()
    }
}

private final class Answer: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, Int, Error?) = (nil, 0, nil)
    func set(_ data: Data?, _ status: Int, _ error: Error?) { lock.withLock { value = (data, status, error) } }
    func get() -> (Data?, Int, Error?) { lock.withLock { value } }
}

struct ReviewerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
