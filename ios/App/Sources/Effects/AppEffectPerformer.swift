import AVFoundation
import Foundation
import IdentityPassCore
import IdentityPassKit
import UIKit

/// The iOS side of every core effect (the kit's `EffectPerformer`: a new `Effect` case does not
/// compile until it has its method here). Each method calls the platform and reports the
/// result with a `ShellEvent`; none decides what comes next.
@MainActor
final class AppEffectPerformer: EffectPerformer {
    private unowned let model: OnboardingModel
    private let permissions = PermissionAuthority()

    init(model: OnboardingModel) {
        self.model = model
    }

    // The session performs these four itself; they never reach its observer.

    /// The session saves its own state through the Keychain store.
    func persistState() {}
    /// The session's HTTP client sends service calls.
    func call(id: CallId, call: ServiceCall) {}
    /// The session long-polls the status; APNs pushes only hurry it (`pushReceived`).
    func watchStatus(requestId: String) {}
    /// The session calls its `PasskeyProvider`, `PlatformPasskeyProvider` (ASAuthorizationController).
    func registerPasskey(optionsJson: String) {}

    func requestPermission(_ permission: Permission) {
        Task {
            let status = await permissions.request(permission)
            model.send(.permissionReported(permission: permission, status: status))
        }
    }

    func requestFullAccuracyLocation() {
        Task {
            let status = await permissions.requestFullAccuracyLocation()
            model.send(.permissionReported(permission: .location, status: status))
        }
    }

    /// A denial on iOS is undone only in Settings: the app's own page there. The return is an
    /// `AppResumed`, on which the core asks for the permissions again.
    func openAppSettings(for permission: Permission) {
        guard let settings = URL(string: UIApplication.openSettingsURLString) else { return }
        UIApplication.shared.open(settings)
    }

    func checkPermissions() {
        Task {
            for permission in [Permission.camera, .microphone, .notifications, .location] {
                model.send(.permissionReported(permission: permission, status: await permissions.status(permission)))
            }
        }
    }

    /// The partner's page in Safari inside the app (`SFSafariViewController`, sharing nothing
    /// with the app); closing it ends the hand-off (`GovernmentIdHandoffEnded`).
    func startGovernmentIdCheck(requestId: String, handoffUrl: String) {
        guard let url = URL(string: handoffUrl), url.scheme == "https" || url.scheme == "http" else { return }
        model.partnerPage = PartnerPage(url: url)
    }

    /// Microsoft Authenticator, to add the Verified ID (the device check made sure it is there).
    func openAuthenticator() {
        guard let url = URL(string: "msauth://") else { return }
        UIApplication.shared.open(url)
    }

    func startSelfie() {
        model.startCamera(for: .steadyFace)
    }

    func startLiveness(requestId: String, challengeId: String) {
        model.startCamera(for: .personFollowingInstructions)
    }

    /// Nothing to do or report: the session was started with `callMedia`, so it opens the call's
    /// media with the service itself and reports the join when the media connects. A
    /// `CallJoined` from here would claim a connection that may never come. The call screen
    /// (`.review(.inCall)`) starts the camera, the microphone and the speaker as it appears.
    func joinCall(callId: String) {}

    func scheduleWake(atPhoneTimeMs phoneTimeMs: Int64) {
        WakeScheduler.schedule(atPhoneTimeMs: phoneTimeMs)
    }

    func showNotification(_ message: LocalizedMessage) {
        Task { await Notifier.show(message) }
    }

    /// App Store pages and the security-info page, in the App Store or Safari.
    func openUrl(_ url: String) {
        guard let link = URL(string: url) else { return }
        UIApplication.shared.open(link)
    }

    /// The one-time password page in Safari (its ticket is a secret: never logged). Coming
    /// back is an `AppResumed`, on which the session asks the service whether it is set.
    func openPasswordPage(_ url: SecretString) {
        guard let page = URL(string: url) else { return }
        UIApplication.shared.open(page)
    }

    /// The `otpauth://` link goes to the authenticator app that registers it (Authenticator
    /// declares the scheme). It holds the TOTP secret: never logged.
    func openOtpauthLink(_ uri: SecretString) {
        guard let link = URL(string: uri) else { return }
        UIApplication.shared.open(link)
    }
}
