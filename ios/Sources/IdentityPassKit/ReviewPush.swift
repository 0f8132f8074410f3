import Foundation

/// A push from the Identity Pass service, read from APNs' `userInfo`: the `aps` dictionary
/// plus two custom keys, `event` and `request_id` (reference-service/src/push.rs). A push
/// carries no personal data, only news that the review moved; the app then tells the session
/// (`pushReceived()`), which asks the service for the status. So this parser decides nothing
/// about the onboarding: it only keeps other senders' pushes, and broken ones, away.
public struct ReviewPush: Equatable, Sendable {
    /// What happened to the request (the service's `PushMessage.event`).
    public enum Event: String, CaseIterable, Sendable {
        case callInvited = "call_invited"
        case approved
        case denied
    }

    public let event: Event
    public let requestId: String

    /// The longest request id accepted: the service's ids are short; a megabyte string is not one.
    static let maxRequestIdLength = 128

    public init(event: Event, requestId: String) {
        self.event = event
        self.requestId = requestId
    }

    /// nil for a push that is not the service's (no or unknown `event`, no `request_id`) or is
    /// malformed (`aps` not a dictionary, values of the wrong type, an implausible id).
    public init?(userInfo: [AnyHashable: Any]) {
        if let aps = userInfo["aps"], !(aps is [AnyHashable: Any]) { return nil }
        guard let name = userInfo["event"] as? String, let event = Event(rawValue: name),
              let requestId = userInfo["request_id"] as? String, Self.isPlausible(requestId)
        else { return nil }
        self.init(event: event, requestId: requestId)
    }

    /// Printable ASCII without spaces, as the service's ids are.
    private static func isPlausible(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxRequestIdLength && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
