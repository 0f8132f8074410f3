import Foundation
import XCTest
import IdentityPassKit

/// APNs `userInfo` as the kit reads it: the service's pushes typed, anything else nil.
final class ReviewPushTests: XCTestCase {
    private func userInfo(_ custom: [AnyHashable: Any]) -> [AnyHashable: Any] {
        var info: [AnyHashable: Any] = ["aps": ["content-available": 1]]
        info.merge(custom) { $1 }
        return info
    }

    func testEachOfTheServicesEventsIsRead() {
        for (name, event) in [("call_invited", ReviewPush.Event.callInvited), ("approved", .approved), ("denied", .denied)] {
            XCTAssertEqual(ReviewPush(userInfo: userInfo(["event": name, "request_id": "req_7f3a"])), ReviewPush(event: event, requestId: "req_7f3a"))
        }
        XCTAssertEqual(ReviewPush.Event.allCases.count, 3, "the service's three events (reference-service/src/push.rs)")
    }

    func testAnAlertPushFromTheServiceIsReadToo() {
        let alert: [AnyHashable: Any] = ["aps": ["alert": ["title-loc-key": "X"], "sound": "default"], "event": "approved", "request_id": "r1"]
        XCTAssertEqual(ReviewPush(userInfo: alert)?.event, .approved)
    }

    func testOtherSendersPushesAreNotOurs() {
        XCTAssertNil(ReviewPush(userInfo: [:]))
        XCTAssertNil(ReviewPush(userInfo: userInfo([:])), "aps alone")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "message", "request_id": "r1"])), "an event the service does not send")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["type": "approved", "id": "r1"])), "another app's keys")
    }

    func testMalformedPushesAreNil() {
        XCTAssertNil(ReviewPush(userInfo: ["aps": "not a dictionary", "event": "approved", "request_id": "r1"]))
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved"])), "no request id")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": 42])), "a number for an id")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": ["approved"], "request_id": "r1"])), "a list for an event")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "APPROVED", "request_id": "r1"])), "event names are exact")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": ""])))
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": "req 1"])), "no spaces")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": "réq"])), "ASCII only")
        XCTAssertNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": String(repeating: "a", count: 129)])))
        XCTAssertNotNil(ReviewPush(userInfo: userInfo(["event": "approved", "request_id": String(repeating: "a", count: 128)])))
    }

    func testAPushDecodedFromJsonAsApnsDeliversIt() throws {
        let json = #"{"aps":{"content-available":1},"event":"call_invited","request_id":"req_01HZX"}"#
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(ReviewPush(userInfo: object), ReviewPush(event: .callInvited, requestId: "req_01HZX"))
    }
}
