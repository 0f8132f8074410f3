import Foundation
import XCTest
import IdentityPassCore

/// Seed 000 ("Get TAP") end to end through the exported flow, as a shell drives it. The test
/// plays the runtime's part (service answers, captures) through `handleRuntimeEvent`, which only
/// the test-support build has: a shell's `handle` takes a `ShellEvent` and cannot name an answer.
/// Mirrors tests/kotlin/FlowTest.kt; the rules themselves are tested in Rust (core/tests/seed_paths.rs).
final class FlowTests: XCTestCase {
    private let t0: Int64 = 1_795_219_200_000

    /// A shell whose clock advances one second before each event; the server's clock is the phone's.
    private final class Shell {
        var flow: OnboardingFlow
        var now: Int64
        /// The id of the last service call the flow made (the runtime answers it).
        var lastCall: UInt64?
        init(flow: OnboardingFlow, now: Int64) { self.flow = flow; self.now = now }
        var next: Int64 { now + 1_000 }

        @discardableResult
        func send(_ event: ShellEvent, file: StaticString = #filePath, line: UInt = #line) -> Transition {
            record("\(event)", file: file, line: line) { flow.handle(event: event, nowMs: $0) }
        }

        @discardableResult
        func runtime(_ event: RuntimeEvent, file: StaticString = #filePath, line: UInt = #line) -> Transition {
            record("\(event)", file: file, line: line) { flow.handleRuntimeEvent(event: event, nowMs: $0) }
        }

        @discardableResult
        func answer(_ answer: ServiceAnswer, file: StaticString = #filePath, line: UInt = #line) -> Transition {
            runtime(.answered(id: lastCall ?? 0, outcome: .answered(answer: answer)), file: file, line: line)
        }

        private func record(_ event: String, file: StaticString, line: UInt, _ apply: (Int64) -> Transition) -> Transition {
            now += 1_000
            let t = apply(now)
            XCTAssertNil(t.rejection, "\(event) was rejected", file: file, line: line)
            for case .call(let id, _) in t.effects { lastCall = id }
            return t
        }
    }

    private func names(_ t: Transition) -> [String] {
        t.effects.map { effect in
            if case .call(_, let call) = effect { return String(describing: call).components(separatedBy: "(")[0] }
            return String(describing: effect).components(separatedBy: "(")[0]
        }
    }

    func testSeed000GetTapEndToEnd() throws {
        let s = Shell(flow: OnboardingFlow(locale: .english, platform: .ios, distribution: .global), now: t0)
        let profile = DeviceProfile(
            platform: .ios, osMajor: 17, osMinor: 4, distribution: .global, hasFrontCamera: true,
            notificationsSupported: true, networkAvailable: true, installedApps: [.companyPortal, .authenticator])
        guard case .permissions = s.send(.deviceChecked(profile: profile)).view.screen else { return XCTFail("permissions first") }
        XCTAssertEqual(s.send(.continue).effects, [.requestPermission(permission: .camera)])
        for permission in [Permission.camera, .microphone, .notifications, .location] {
            s.send(.permissionReported(permission: permission, status: .granted))
        }
        guard case .identityEntry = s.send(.consentAnswered(accepted: true)).view.screen else { return XCTFail("identity entry") }

        let form = IdentityForm(upn: "alias@contoso.com", employeeId: "123456", personalEmail: nil, staffKind: .employee)
        // The state that records a call is saved before the call goes out.
        XCTAssertEqual(names(s.send(.identitySubmitted(form: form))), ["persistState", "createRequest"])
        let accepted = s.answer(.requestCreated(
            requestId: "req-1", path: .getTap, flags: RolloutFlags(livenessPrompt: true, verifiedId: false),
            fastPath: false, verifiedIdIssuedAt: nil, serverTime: s.next))
        guard case .selfie = accepted.view.screen else { return XCTFail("selfie after identity") }
        XCTAssertEqual(names(s.send(.continue)), ["persistState", "startSelfie"])
        XCTAssertEqual(names(s.runtime(.selfieCaptured)), ["persistState", "uploadSelfie"])
        s.answer(.selfieUploaded(serverTime: s.next))
        // Liveness: the service's challenge starts the camera; the phone's pass only sends the
        // frames, and the service's verdict moves the step.
        XCTAssertEqual(names(s.send(.continue)), ["persistState", "requestLivenessChallenge"])
        let issuedAt = s.next
        let challenged = s.answer(.livenessChallengeIssued(challengeId: "lc-1", expiresAt: issuedAt + 120_000, serverTime: issuedAt, actions: [.blink, .turnLeft, .comeCloser]))
        XCTAssertEqual(challenged.effects, [.persistState, .startLiveness(requestId: "req-1", challengeId: "lc-1")])
        XCTAssertEqual(names(s.runtime(.livenessFinished(failure: nil))), ["persistState", "submitLivenessFrames"])
        XCTAssertEqual(names(s.answer(.livenessJudged(passed: true, reason: nil, serverTime: s.next))), ["persistState", "submitForReview"])
        let submittedAt = s.next
        let waiting = s.runtime(.reviewUpdated(status: .waitingForReviewer(submittedAt: submittedAt), serverTime: submittedAt))
        XCTAssertTrue(waiting.effects.contains(.scheduleWake(at: submittedAt + 24 * 3_600_000)), "the reviewer has 24 h")

        // The app is killed while it waits for the reviewer, and resumes from its snapshot.
        s.flow = try OnboardingFlow.restore(snapshot: s.flow.snapshot())
        s.runtime(.reviewUpdated(status: .callInvited(callId: "call-1"), serverTime: s.next))
        // Joining is a state of its own (the call's media connecting), so it is saved.
        XCTAssertEqual(s.send(.continue).effects, [.persistState, .joinCall(callId: "call-1")])
        s.send(.callJoined)
        s.now += 20_000 // the user stays 20 s, more than the 15 s minimum
        s.send(.callEnded)
        XCTAssertEqual(names(s.runtime(.reviewUpdated(status: .approved, serverTime: s.next))), ["persistState", "createTap"])

        let startAt = s.next
        let grant = TapGrant(id: "tap-1", code: "ABCD-1234", startAt: startAt, lifetimeMinutes: 30, isUsableOnce: false, usability: .enabledByPolicy)
        let shown = s.answer(.tapCreated(tap: grant, serverTime: startAt))
        guard case .tap(let code, _) = shown.view.screen else { return XCTFail("the TAP is shown") }
        XCTAssertEqual(code, "ABCD-1234")
        let wakes = shown.effects.filter { if case .scheduleWake = $0 { return true } else { return false } }
        XCTAssertEqual(wakes.first, .scheduleWake(at: startAt + 25 * 60_000), "a warning 5 minutes before expiry")
        XCTAssertEqual(wakes.dropFirst().first, .scheduleWake(at: startAt + 30 * 60_000), "the TAP lives 30 minutes from the server's start")
        XCTAssertFalse(s.flow.snapshot().contains("ABCD-1234"), "the TAP never reaches the saved state")

        // "Secure your account": the TAP signs in at the service, which alone says what is done.
        XCTAssertEqual(names(s.send(.continue)), ["persistState", "signInWithTap"])
        let signedIn = s.next
        let policy = SecurityPolicy(
            methods: [.authenticatorApp], pinRequired: false, pinMinLength: 4, pinMaxLength: 8,
            questionsRequired: true, questionCount: 4, questions: [])
        var account = AccountSecurity(
            signedInAt: signedIn, sessionExpiresAt: signedIn + 30 * 60_000, registrationDeadline: nil, passwordSet: false,
            methods: [], pinSet: false, securityQuestionsSet: false, complete: false, policy: policy)
        guard case .secureAccount(let checklist) = s.answer(.securityInfo(account: account, serverTime: signedIn)).view.screen else {
            return XCTFail("securing the account")
        }
        XCTAssertTrue(checklist.options.allSatisfy { !$0.done }, "nothing is done until the service says so")
        XCTAssertEqual(names(s.send(.continue)), ["persistState", "fetchSecurityInfo"])
        account.passwordSet = true
        account.methods = [RegisteredMethod(id: "m-1", kind: .authenticatorApp, phoneNumber: nil, registeredAt: signedIn)]
        account.securityQuestionsSet = true
        account.complete = true
        XCTAssertEqual(s.answer(.securityInfo(account: account, serverTime: s.next)).view.primaryAction?.code, "FLOW_ACTION_FINISH")
        guard case .done = s.send(.continue).view.screen else { return XCTFail("done") }
    }

    func testAnAnswerToACallTheFlowDidNotMakeIsRejected() {
        let flow = OnboardingFlow(locale: .english, platform: .ios, distribution: .global)
        let before = flow.snapshot()
        let t = flow.handleRuntimeEvent(event: .answered(id: 7, outcome: .answered(answer: .livenessJudged(passed: true, reason: nil, serverTime: t0))), nowMs: t0)
        XCTAssertEqual(t.rejection, .unexpectedEvent)
        XCTAssertEqual(flow.snapshot(), before)
    }

    func testADamagedSnapshotIsATypedError() {
        XCTAssertThrowsError(try OnboardingFlow.restore(snapshot: "{")) { error in
            guard case FlowError.Unreadable = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try OnboardingFlow.restore(snapshot: #"{"version":9,"flow":{}}"#)) { error in
            guard case FlowError.TooNew = error else { return XCTFail("\(error)") }
        }
    }
}
