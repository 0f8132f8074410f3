import CoreGraphics
import Foundation
import IdentityPassCore
import IdentityPassKit
import Observation
import os

/// The app's one model: the session, the screen it last published, the selfie verdict of the
/// latest camera frame, and the reviewer's latest picture during the call. It consumes the
/// kit's `SessionStreams` (views, effects) and `CallStreams` (the reviewer's pictures and
/// voice), and hands each effect to the performer. It decides nothing about the onboarding:
/// user input goes to the session as `ShellEvent`s, and the next view says what happened.
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
    /// The reviewer's newest picture while the call screen shows; nil before the first and
    /// after the call. Only the view drawing it reads it, so only that view redraws per picture.
    private(set) var reviewerPicture: CGImage?

    @ObservationIgnored private(set) var session: OnboardingSession?
    let configuration: AppConfiguration
    let camera: CameraController
    @ObservationIgnored private let streams = SessionStreams()
    /// The reviewer's side of the call, which the session fills while the call's media is open
    /// (it joins the media itself because it has this). Its streams are read here, once each for
    /// the session's life, not by the screens: an `AsyncStream` has one reader, and ends for good
    /// when that reader's task is cancelled (a view's `.task` is, each time the view goes).
    @ObservationIgnored private let call: CallStreams
    @ObservationIgnored private let callAudio: CallAudio
    @ObservationIgnored private lazy var performer = AppEffectPerformer(model: self)
    @ObservationIgnored private var tasks: [Task<Void, Never>] = []
    @ObservationIgnored private let log = Logger(subsystem: "com.identitypass.app", category: "session")

    init(configuration: AppConfiguration) {
        self.configuration = configuration
        camera = CameraController(fixtureFramesDirectory: configuration.fixtureFramesDirectory)
        let call = CallStreams()
        self.call = call
        callAudio = CallAudio(voice: call.audio)
    }

    /// Starts the session (once) and follows its views and effects.
    func start() {
        guard session == nil else { return }
        let settings = SessionSettings(
            serviceUrl: configuration.serviceUrl, platform: .ios, distribution: .global,
            languageTag: Foundation.Locale.preferredLanguages.first ?? "en", pinnedKeys: [], callMedia: call)
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
        let views = streams.views, effects = streams.effects, pictures = call.pictures
        tasks.append(Task { [weak self] in
            for await view in views { self?.show(view) }
        })
        tasks.append(Task { [weak self] in
            for await effect in effects { self?.performer.perform(effect) }
        })
        tasks.append(Task { [weak self] in
            for await picture in pictures { self?.showReviewer(picture) }
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
        // iOS stops the call's audio engine while the app is away; the camera resumes by itself.
        callAudio.resumeIfStopped()
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
        if !newView.screen.isCall {
            reviewerPicture = nil
        }
    }

    /// The reviewer's picture, for the call screen. One that arrives as the call ends is not
    /// kept: the next call would open on it.
    private func showReviewer(_ picture: ReviewerPicture) {
        guard view?.screen.isCall == true, let image = picture.cgImage else { return }
        reviewerPicture = image
    }

    /// Frames from the camera (or the UI tests' fixtures) to the session, off the main actor.
    func startCamera(for scene: FixtureCameraFrames.Scene) {
        guard let session else { return }
        camera.start(scene: scene) { frame in
            // Called on the camera's queue: `pushFrame` runs the face detector synchronously.
            try? session.pushFrame(frame: frame)
        }
    }

    /// The call screen appeared: the camera and the microphone go to the session, which sends
    /// them to the reviewer once the call's media is open (the picture as others see the user,
    /// never mirrored: the core's rule), and the reviewer's voice plays.
    func startCallMedia() {
        guard let session else { return }
        camera.start(scene: .steadyFace) { frame in
            // During the call the verdict is empty (the frame went to the reviewer): nothing to draw.
            _ = try? session.pushFrame(frame: frame)
            return nil
        }
        callAudio.start { samples in session.pushCallAudio(samples: samples) }
    }

    /// The call screen went away. The camera is left to `show`, which stops it with the screen:
    /// the screen after the call may already have started it for itself.
    func stopCallMedia() {
        callAudio.stop()
    }
}

extension Screen {
    /// Whether the core is collecting camera frames on this screen: to judge them, or, in the
    /// call, to send them to the reviewer.
    var collectsFrames: Bool {
        switch self {
        case .selfie(let phase): phase == .capturing
        case .liveness(let inProgress, _): inProgress
        case .review(let stage): stage == .inCall
        default: false
        }
    }

    /// The reviewer's call, connecting or connected.
    var isCall: Bool {
        switch self {
        case .review(.inCall): true
        default: false
        }
    }
}
