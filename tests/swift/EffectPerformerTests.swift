import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The kit's effect dispatcher: every case of the core's `Effect` reaches its own method, with
/// its values.
final class EffectPerformerTests: XCTestCase {
    @MainActor
    private final class Recorder: EffectPerformer {
        var calls: [String] = []
        func persistState() { calls.append("persistState") }
        func requestPermission(_ permission: Permission) { calls.append("requestPermission \(permission)") }
        func requestFullAccuracyLocation() { calls.append("requestFullAccuracyLocation") }
        func openAppSettings(for permission: Permission) { calls.append("openAppSettings \(permission)") }
        func checkPermissions() { calls.append("checkPermissions") }
        func call(id: CallId, call: ServiceCall) { calls.append("call \(id) \(call)") }
        func startGovernmentIdCheck(requestId: String, handoffUrl: String) { calls.append("startGovernmentIdCheck \(requestId) \(handoffUrl)") }
        func openAuthenticator() { calls.append("openAuthenticator") }
        func startSelfie() { calls.append("startSelfie") }
        func startLiveness(requestId: String, challengeId: String) { calls.append("startLiveness \(requestId) \(challengeId)") }
        func watchStatus(requestId: String) { calls.append("watchStatus \(requestId)") }
        func joinCall(callId: String) { calls.append("joinCall \(callId)") }
        func registerPasskey(optionsJson: String) { calls.append("registerPasskey \(optionsJson)") }
        func scheduleWake(atPhoneTimeMs phoneTimeMs: Int64) { calls.append("scheduleWake \(phoneTimeMs)") }
        func showNotification(_ message: LocalizedMessage) { calls.append("showNotification \(message.code)") }
        func openUrl(_ url: String) { calls.append("openUrl \(url)") }
        func openPasswordPage(_ url: SecretString) { calls.append("openPasswordPage \(url)") }
        func openOtpauthLink(_ uri: SecretString) { calls.append("openOtpauthLink \(uri)") }
    }

    @MainActor
    func testEveryEffectReachesItsMethod() async {
        let effects: [(Effect, String)] = [
            (.persistState, "persistState"),
            (.requestPermission(permission: .microphone), "requestPermission microphone"),
            (.requestFullAccuracyLocation, "requestFullAccuracyLocation"),
            (.openAppSettings(permission: .location), "openAppSettings location"),
            (.checkPermissions, "checkPermissions"),
            (.call(id: 7, call: .fetchSecurityInfo(requestId: "r1")), "call 7 fetchSecurityInfo(requestId: \"r1\")"),
            (.startGovernmentIdCheck(requestId: "r1", handoffUrl: "https://partner.example/h"), "startGovernmentIdCheck r1 https://partner.example/h"),
            (.openAuthenticator, "openAuthenticator"),
            (.startSelfie, "startSelfie"),
            (.startLiveness(requestId: "r1", challengeId: "c1"), "startLiveness r1 c1"),
            (.watchStatus(requestId: "r1"), "watchStatus r1"),
            (.joinCall(callId: "call-1"), "joinCall call-1"),
            (.registerPasskey(optionsJson: "{}"), "registerPasskey {}"),
            (.scheduleWake(at: 1_700_000_000_000), "scheduleWake 1700000000000"),
            (.showNotification(message: LocalizedMessage(code: "FLOW_NOTIFY_CALL_INVITATION", text: "…")), "showNotification FLOW_NOTIFY_CALL_INVITATION"),
            (.openUrl(url: "https://mysignins.microsoft.com/security-info"), "openUrl https://mysignins.microsoft.com/security-info"),
            (.openPasswordPage(url: "https://id.example/account/password?ticket=t"), "openPasswordPage https://id.example/account/password?ticket=t"),
            (.openOtpauthLink(uri: "otpauth://totp/x"), "openOtpauthLink otpauth://totp/x"),
        ]
        let recorder = Recorder()
        for (effect, _) in effects { recorder.perform(effect) }
        XCTAssertEqual(recorder.calls, effects.map(\.1))
        // The generated enum has 18 cases; a new one breaks `perform`'s switch at compile time,
        // and this list is the reminder to cover it here too.
        XCTAssertEqual(Set(effects.map { String(describing: $0.0).prefix { $0 != "(" } }).count, 18)
    }
}
