import Foundation
import IdentityPassCore

/// What a shell does for each of the core's effects: one method per `Effect` case. The app's
/// performer conforms, and `perform(_:)` routes with a switch that has no `default`, so a case
/// added to the core fails to compile until the protocol (and so every performer) has its
/// method: no effect is silently dropped.
///
/// Main-actor isolated because every effect ends in UI or in an Apple API that wants the main
/// thread (prompts, `UIApplication.open`, the capture session's start is dispatched from there).
///
/// The session performs four cases itself and never hands them to its observer: `persistState`
/// (it writes its own state to the `SecureStore`), `call` and `watchStatus` (its HTTP client and
/// long-poll), `registerPasskey` (it calls the `PasskeyProvider` it was started with). They are
/// here anyway, so the switch is the whole enum and a performer says what it does with them.
@MainActor
public protocol EffectPerformer: AnyObject {
    func persistState()
    func requestPermission(_ permission: Permission)
    func requestFullAccuracyLocation()
    func openAppSettings(for permission: Permission)
    func checkPermissions()
    func call(id: CallId, call: ServiceCall)
    func startGovernmentIdCheck(requestId: String, handoffUrl: String)
    func openAuthenticator()
    func startSelfie()
    func startLiveness(requestId: String, challengeId: String)
    func watchStatus(requestId: String)
    func joinCall(callId: String)
    func registerPasskey(optionsJson: String)
    /// `phoneTimeMs`: Unix milliseconds on this phone's clock.
    func scheduleWake(atPhoneTimeMs phoneTimeMs: Int64)
    func showNotification(_ message: LocalizedMessage)
    func openUrl(_ url: String)
    /// The URL carries a one-use ticket: never log it.
    func openPasswordPage(_ url: SecretString)
    /// The link carries a TOTP secret: never log it.
    func openOtpauthLink(_ uri: SecretString)
}

extension EffectPerformer {
    /// Routes `effect` to its method.
    public func perform(_ effect: Effect) {
        switch effect {
        case .persistState: persistState()
        case .requestPermission(let permission): requestPermission(permission)
        case .requestFullAccuracyLocation: requestFullAccuracyLocation()
        case .openAppSettings(let permission): openAppSettings(for: permission)
        case .checkPermissions: checkPermissions()
        case .call(let id, let serviceCall): call(id: id, call: serviceCall)
        case .startGovernmentIdCheck(let requestId, let handoffUrl): startGovernmentIdCheck(requestId: requestId, handoffUrl: handoffUrl)
        case .openAuthenticator: openAuthenticator()
        case .startSelfie: startSelfie()
        case .startLiveness(let requestId, let challengeId): startLiveness(requestId: requestId, challengeId: challengeId)
        case .watchStatus(let requestId): watchStatus(requestId: requestId)
        case .joinCall(let callId): joinCall(callId: callId)
        case .registerPasskey(let optionsJson): registerPasskey(optionsJson: optionsJson)
        case .scheduleWake(let at): scheduleWake(atPhoneTimeMs: at)
        case .showNotification(let message): showNotification(message)
        case .openUrl(let url): openUrl(url)
        case .openPasswordPage(let url): openPasswordPage(url)
        case .openOtpauthLink(let uri): openOtpauthLink(uri)
        }
    }
}
