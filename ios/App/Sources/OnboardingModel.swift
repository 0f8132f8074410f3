import Foundation
import IdentityPassCore
import IdentityPassKit
import Observation
import os

/// The app's one model: the session, the screen it last published, and the selfie verdict of
/// the latest camera frame. It consumes the kit's `SessionStreams` (views, effects) and hands
/// each effect to the performer. It decides nothing about the onboarding: user input goes to
/// the session as `ShellEvent`s, and the next view says what happened.
@Observable
@MainActor
final class OnboardingModel {
    /// The screen to show; nil until the session publishes its first.
    private(set) var view: ViewState?
    /// The core's reading of the latest camera frame (guidance, face boxes, liveness progress).
    private(set) var verdict: SelfieVerdict?
    /// Why the session could not start (the Keychain locked before the first unlock, saved
    /// progress from another app version, a misconfigured build): the core's explanation, in
    /// the user's language. `start()` tries again.
    private(set) var startFailure: LocalizedMessage?
    /// The government-ID partner's page, while it is open in Safari inside the app.
    var partnerPage: PartnerPage?

    @ObservationIgnored private(set) var session: OnboardingSession?
    let configuration: AppConfiguration
    let camera: CameraController
    @ObservationIgnored private let streams = SessionStreams()
    @ObservationIgnored private lazy var performer = AppEffectPerformer(model: self)
    @ObservationIgnored private var tasks: [Task<Void, Never>] = []
    @ObservationIgnored private let log = Logger(subsystem: "com.identitypass.app", category: "session")

    init(configuration: AppConfiguration) {
        self.configuration = configuration
        camera = CameraController(fixtureFramesDirectory: configuration.fixtureFramesDirectory)
    }

    /// Starts the session (once) and follows its views and effects.
    func start() {
        guard session == nil else { return }
        let settings = SessionSettings(
            serviceUrl: configuration.serviceUrl, platform: .ios, distribution: .global,
            languageTag: Foundation.Locale.preferredLanguages.first ?? "en", pinnedKeys: [])
        do {
            session = try OnboardingSession.start(
                settings: settings,
                store: KeychainSecureStore(),
                observer: streams,
                passkeys: PlatformPasskeyProvider(),
                deviceKey: DeviceKeys.forThisDevice(),
                clock: nil)
        } catch {
            // The error names the setting or the Keychain status, never a secret.
            log.error("the session did not start: \(String(describing: error), privacy: .public)")
            startFailure = Self.explanation(of: error)
            return
        }
        let views = streams.views, effects = streams.effects
        tasks.append(Task { [weak self] in
            for await view in views { self?.show(view) }
        })
        tasks.append(Task { [weak self] in
            for await effect in effects { self?.performer.perform(effect) }
        })
        camera.onVerdict = { [weak self] verdict in self?.verdict = verdict }
        // What iOS already granted (a relaunch, Settings): the core skips what it need not ask.
        performer.checkPermissions()
    }

    /// What to tell the user about a failed start: the core's explanation. Only an error that is
    /// not the session's (a panic, which UniFFI reports as an internal error) has none: its type
    /// is shown, which names no secret.
    private static func explanation(of error: Error) -> LocalizedMessage {
        switch error as? SessionError {
        case let .Configuration(_, explanation), let .StoreUnavailable(_, explanation), let .SavedStateUnreadable(_, explanation):
            return explanation
        case nil:
            return LocalizedMessage(code: "", text: String(describing: type(of: error)))
        }
    }

    /// The user's input.
    func send(_ event: ShellEvent) {
        session?.send(event: event)
    }

    /// The core's label for a control the screen draws besides its main button, in the
    /// session's language. Empty before the session starts (no screen is drawn then).
    func label(_ control: Control) -> String {
        session?.label(control: control).text ?? ""
    }

    /// "Check again" after the device check found a blocker, and the first check: the facts
    /// of this phone, read afresh.
    func reportDevice() async {
        let profile = await DeviceProfileReader.read(hasFrontCamera: camera.hasFrontCamera)
        send(.deviceChecked(profile: profile))
    }

    /// Back in the foreground: grants may have lapsed, and the user may come back from
    /// Settings, the password page or Authenticator. The session decides what to re-read.
    func appBecameActive() {
        send(.appResumed)
        send(.tick)
    }

    /// A universal link to the service: the user is back; what changed is the service's to say.
    func linkOpened() {
        send(.appResumed)
        session?.pushReceived()
    }

    /// A `ScheduleWake` refresh: the core looks at its deadlines (it may ask for a notification).
    /// Its own timers run only while the app does, so the refresh gives them a moment.
    func wokenInBackground() async {
        send(.tick)
        try? await Task.sleep(for: .seconds(5))
    }

    /// The partner's page was closed: the verdict goes from the partner to the service.
    func partnerPageClosed() {
        partnerPage = nil
        send(.governmentIdHandoffEnded)
    }

    private func show(_ newView: ViewState) {
        view = newView
        // The camera runs while the core collects frames, and stops when it has what it needs.
        if !newView.screen.collectsFrames {
            camera.stop()
            verdict = nil
        }
    }

    /// Frames from the camera (or the UI tests' fixtures) to the session, off the main actor.
    func startCamera(for scene: FixtureCameraFrames.Scene) {
        guard let session else { return }
        camera.start(scene: scene) { frame in
            // Called on the camera's queue: `pushFrame` runs the face detector synchronously.
            try? session.pushFrame(frame: frame)
        }
    }
}

extension Screen {
    /// Whether the core is collecting camera frames on this screen.
    var collectsFrames: Bool {
        switch self {
        case .selfie(let phase): phase == .capturing
        case .liveness(let inProgress, _): inProgress
        default: false
        }
    }
}
