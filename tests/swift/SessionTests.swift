import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The whole onboarding, for real, from Swift: the session talks to the reference service the
/// runner started; this test plays the user, the platform (camera frames, the partner's ID
/// check, the call) and the reviewer. Mirrors tests/kotlin/SessionTest.kt.
final class SessionTests: XCTestCase {
    /// The phone's clock, which the test moves forward to cross a TAP's lifetime.
    private final class MovableClock: PhoneClock, @unchecked Sendable {
        private let lock = NSLock()
        private var ahead: Int64 = 0
        var aheadMs: Int64 {
            get { lock.withLock { ahead } }
            set { lock.withLock { ahead = newValue } }
        }
        func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) + aheadMs }
    }

    /// The device key, standing in for the kit's `SecureEnclaveDeviceKey` (Linux has no Secure
    /// Enclave): the core's software key, kept in a store of its own, with its calls counted.
    /// It hands out what the Secure Enclave does, the 65-byte SEC1 point and DER signatures.
    private final class CountingDeviceKey: DeviceKeyProvider, @unchecked Sendable {
        private let key = softwareDeviceKey(store: InMemorySecureStore())
        private let lock = NSLock()
        private var signCount = 0
        private var handedOut: Data?
        /// How often the core asked for a signature (the registration proof, each presentation).
        var signatures: Int { lock.withLock { signCount } }
        /// The public key the core was last given.
        var lastPublicKey: Data? { lock.withLock { handedOut } }

        func publicKey() throws -> Data {
            let point = try key.publicKey()
            lock.withLock { handedOut = point }
            return point
        }

        func sign(message: Data) throws -> Data {
            lock.withLock { signCount += 1 }
            return try key.sign(message: message)
        }
    }

    /// The shell: reads views and collects effects through `SessionStreams`.
    private final class Phone: @unchecked Sendable {
        let streams = SessionStreams()
        let clock = MovableClock()
        let store = InMemorySecureStore()
        let deviceKey = CountingDeviceKey()
        let session: OnboardingSession
        private let lock = NSLock()
        private var collected: [Effect] = []
        private var collector: Task<Void, Never>?
        private var timestamp: UInt64 = 1_000

        init(service: TestService, passkeys: PasskeyProvider = softwarePasskeyProvider(origin: "https://id.contoso.example")) throws {
            session = try OnboardingSession.start(
                settings: SessionSettings(serviceUrl: service.url, platform: .ios, distribution: .global, languageTag: "en-US", pinnedKeys: []),
                store: store,
                observer: streams,
                passkeys: passkeys,
                deviceKey: deviceKey,
                clock: clock)
            let effects = streams.effects
            collector = Task { [weak self] in
                for await effect in effects { self?.lock.withLock { self?.collected.append(effect) } }
            }
        }

        var effects: [Effect] { lock.withLock { collected } }

        func screen(_ matches: (Screen) -> Bool) async throws -> Screen {
            for _ in 0..<1_500 {
                if let view = streams.currentView, matches(view.screen) { return view.screen }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            throw TestFailure("stuck on \(String(describing: streams.currentView?.screen))")
        }

        /// Waits for an effect and returns the latest one that matches.
        @discardableResult
        func effect(_ matches: (Effect) -> Bool) async throws -> Effect {
            for _ in 0..<1_500 {
                if let found = effects.last(where: matches) { return found }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            throw TestFailure("effect never came")
        }

        /// The fixture frame `name`, its top rows replaced by `band` when given.
        func frame(_ name: String, band: Data? = nil) throws -> CameraFrame {
            timestamp += 100
            var data = try Fixtures.data(name)
            if let band { data.replaceSubrange(0..<band.count, with: band) }
            return CameraFrame(width: 640, height: 480, format: .nv21,
                               planes: [FramePlane(data: data, rowStride: 640, pixelStride: 1)],
                               timestampMs: timestamp)
        }

        func close() {
            collector?.cancel()
            session.closeSession()
        }
    }

    private func throughIdentity(_ phone: Phone, upn: String, employeeId: String) async throws {
        phone.session.send(event: .deviceChecked(profile: DeviceProfile(
            platform: .ios, osMajor: 17, osMinor: 5, distribution: .global, hasFrontCamera: true,
            notificationsSupported: true, networkAvailable: true, installedApps: [.companyPortal, .authenticator])))
        phone.session.send(event: .continue)
        for permission in [Permission.camera, .microphone, .notifications, .location] {
            phone.session.send(event: .permissionReported(permission: permission, status: .granted))
        }
        phone.session.send(event: .consentAnswered(accepted: true))
        _ = try await phone.screen { if case .identityEntry = $0 { true } else { false } }
        phone.session.send(event: .identitySubmitted(form: IdentityForm(upn: upn, employeeId: employeeId, personalEmail: nil, staffKind: .employee)))
    }

    private func passLiveness(_ phone: Phone) async throws {
        _ = try await phone.screen { if case .liveness = $0 { true } else { false } }
        phone.session.send(event: .continue)
        try await phone.effect { if case .startLiveness = $0 { true } else { false } }
        // The service refuses frames it has judged before (a replay), and every test shares one
        // service: like a real camera, which never repeats a frame, each run's frames differ,
        // here by a band of noise along the top edge, far from the face.
        let band = Data((0..<640 * 4).map { _ in UInt8.random(in: 0...255) })
        for i in 0..<24 {
            let verdict = try phone.session.pushFrame(frame: try phone.frame(String(format: "face_closer_%02d.nv21", i), band: band))
            if case .passed = verdict.liveness { return }
        }
        XCTFail("the liveness challenge did not pass")
    }

    /// The reviewer's call: invite, the user joins, stays 16 s (the minimum is 15), leaves.
    private func reviewerCall(_ phone: Phone, _ service: TestService, _ requestId: String) async throws {
        try await service.review(requestId, "call")
        _ = try await phone.screen { if case .review(.callInvited) = $0 { true } else { false } }
        phone.session.send(event: .continue)
        try await phone.effect { if case .joinCall = $0 { true } else { false } }
        phone.session.send(event: .callJoined)
        try await service.review(requestId, "join")
        try await Task.sleep(nanoseconds: 16_000_000_000)
        try await service.review(requestId, "leave")
        phone.session.send(event: .callEnded)
    }

    private func base64Url(_ bytes: Data) -> String {
        bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `cnf.jwk` of the stored Verified ID (`{"jws": …, "issued_at": …}`), its string members.
    private func boundKey(_ stored: Data?) throws -> [String: String] {
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(stored)) as? [String: Any])
        let jws = try XCTUnwrap(record["jws"] as? String, "the stored Verified ID has its JWS")
        let parts = jws.split(separator: ".")
        XCTAssertEqual(parts.count, 3, "a compact JWS")
        var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let claims = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(Data(base64Encoded: payload))) as? [String: Any])
        let cnf = try XCTUnwrap(claims["cnf"] as? [String: Any], "the Verified ID is bound (cnf)")
        return try XCTUnwrap(cnf["jwk"] as? [String: String], "cnf.jwk is a JWK of strings")
    }

    private func requestId(_ phone: Phone) throws -> String {
        for effect in phone.effects.reversed() { if case .startLiveness(let id, _) = effect { return id } }
        throw CocoaError(.featureUnsupported)
    }

    /// A passkey API that throws an undeclared error once, then works.
    private final class FlakyPasskeys: PasskeyProvider, @unchecked Sendable {
        struct NoProvider: Error {}
        private let real: PasskeyProvider
        private let lock = NSLock()
        private var thrown = false
        init(_ real: PasskeyProvider) { self.real = real }
        func createPasskey(optionsJson: String) throws -> String {
            let first = lock.withLock { () -> Bool in defer { thrown = true }; return !thrown }
            if first { throw NoProvider() }
            return try real.createPasskey(optionsJson: optionsJson)
        }
    }

    /// A store that throws an undeclared error: the session does not start, and says why.
    private final class BrokenStore: SecureStore, @unchecked Sendable {
        struct KeychainGone: Error {}
        func read(key: String) throws -> Data? { throw KeychainGone() }
        func write(key: String, value: Data) throws { throw KeychainGone() }
        func delete(key: String) throws { throw KeychainGone() }
    }

    func testAThrowingStoreIsATypedStartError() throws {
        let service = try TestService.fromEnvironment()
        XCTAssertThrowsError(try OnboardingSession.start(
            settings: SessionSettings(serviceUrl: service.url, platform: .ios, distribution: .global, languageTag: "en-US", pinnedKeys: []),
            store: BrokenStore(), observer: SessionStreams(),
            passkeys: softwarePasskeyProvider(origin: "https://id.contoso.example"), deviceKey: CountingDeviceKey(), clock: nil)) { error in
            guard case SessionError.StoreUnavailable = error else { return XCTFail("\(error)") }
        }
    }

    func testAClosedSessionWritesNothingMore() async throws {
        let service = try TestService.fromEnvironment()
        let phone = try Phone(service: service)
        try await throughIdentity(phone, upn: "erin@contoso.example", employeeId: "E1005")
        _ = try await phone.screen { if case .submittingIdentity = $0 { true } else { false } }
        // The request is on its way; the app goes away before its answer.
        phone.close()
        let writes = phone.store.writes
        let state = phone.store.value("identity-pass.flow-state")
        try await Task.sleep(nanoseconds: 1_500_000_000)
        XCTAssertEqual(phone.store.writes, writes, "no write after closeSession() returned")
        XCTAssertEqual(phone.store.value("identity-pass.flow-state"), state, "the saved state is as the session left it")
    }

    /// A shell whose observer and clock throw on every call: the session must outlive them.
    private final class ThrowingObserver: SessionObserver, @unchecked Sendable {
        struct UiGone: Error {}
        private let lock = NSLock()
        private var count = 0
        var calls: Int { lock.withLock { count } }
        func onView(view: ViewState) throws { lock.withLock { count += 1 }; throw UiGone() }
        func onPlatformEffect(effect: Effect) throws { lock.withLock { count += 1 }; throw UiGone() }
    }

    private final class ThrowingClock: PhoneClock, @unchecked Sendable {
        struct ClockBroken: Error {}
        func nowMs() throws -> Int64 { throw ClockBroken() }
    }

    func testAThrowingObserverAndClockDoNotKillTheSession() async throws {
        let service = try TestService.fromEnvironment()
        let observer = ThrowingObserver()
        let session = try OnboardingSession.start(
            settings: SessionSettings(serviceUrl: service.url, platform: .ios, distribution: .global, languageTag: "en-US", pinnedKeys: []),
            store: InMemorySecureStore(), observer: observer,
            passkeys: softwarePasskeyProvider(origin: "https://id.contoso.example"), deviceKey: CountingDeviceKey(),
            clock: ThrowingClock())
        defer { session.closeSession() }
        session.send(event: .deviceChecked(profile: DeviceProfile(
            platform: .ios, osMajor: 17, osMinor: 5, distribution: .global, hasFrontCamera: true,
            notificationsSupported: true, networkAvailable: true, installedApps: [.companyPortal, .authenticator])))
        session.send(event: .continue) // a permission prompt: an effect the observer throws on
        for permission in [Permission.camera, .microphone, .notifications, .location] {
            session.send(event: .permissionReported(permission: permission, status: .granted))
        }
        session.send(event: .consentAnswered(accepted: true))
        var reached = false
        for _ in 0..<500 {
            if case .identityEntry = session.view()?.screen { reached = true; break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertTrue(reached, "the session kept applying events; it shows \(String(describing: session.view()?.screen))")
        XCTAssertGreaterThanOrEqual(observer.calls, 4, "every view and effect was still delivered")
    }

    func testGetTapEndToEndAgainstTheService() async throws {
        let service = try TestService.fromEnvironment()
        let phone = try Phone(service: service)
        defer { phone.close() }
        try await throughIdentity(phone, upn: "alice@contoso.example", employeeId: "E1001")
        _ = try await phone.screen { if case .selfie = $0 { true } else { false } }
        phone.session.send(event: .continue)
        try await phone.effect { $0 == .startSelfie }
        var captured = false
        for _ in 0..<10 where !captured {
            captured = try phone.session.pushFrame(frame: try phone.frame("face_selfie_640x480.nv21")).captured
        }
        XCTAssertTrue(captured, "a steady face is captured")
        try await passLiveness(phone)
        _ = try await phone.screen { if case .review(.waiting) = $0 { true } else { false } }
        let id = try requestId(phone)
        try await reviewerCall(phone, service, id)
        try await service.review(id, "decision", json: #"{"decision":"approve"}"#)
        let tap = try await phone.screen { if case .tap(code: .some, _) = $0 { true } else { false } }
        guard case .tap(let code?, _) = tap else { return XCTFail("no TAP") }
        XCTAssertGreaterThanOrEqual(code.count, 8, "the TAP is shown")
        XCTAssertTrue(phone.effects.contains { if case .showNotification = $0 { true } else { false } })

        // The Verified ID issued on approval is kept for the 30-day fast path. Wait for it: its
        // answer re-synchronises the phone with the service's clock, which would undo the jump
        // below (deadlines are kept in service time, by design).
        for _ in 0..<1_500 where phone.store.value("identity-pass.verified-id") == nil {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertNotNil(phone.store.value("identity-pass.verified-id"), "the Verified ID is kept")
        // It is bound to this phone's device key: `cnf.jwk` is the point the key handed out, and
        // the key proved itself when the device registered.
        let jwk = try boundKey(phone.store.value("identity-pass.verified-id"))
        let point = try XCTUnwrap(phone.deviceKey.lastPublicKey, "the core asked for the public key")
        XCTAssertEqual(point.count, 65, "the SEC1 uncompressed point")
        XCTAssertEqual(jwk["crv"], "P-256")
        XCTAssertEqual(jwk["kty"], "EC")
        XCTAssertEqual(jwk["x"], base64Url(point[point.startIndex + 1 ..< point.startIndex + 33]), "cnf.jwk.x is the device key's x")
        XCTAssertEqual(jwk["y"], base64Url(point[point.startIndex + 33 ..< point.startIndex + 65]), "cnf.jwk.y is the device key's y")
        XCTAssertGreaterThanOrEqual(phone.deviceKey.signatures, 1, "the device key signed its registration proof")

        // 26 minutes later the user is warned; at 31 the TAP is gone and a new one offered.
        phone.clock.aheadMs = 26 * 60_000
        phone.session.send(event: .tick)
        try await phone.effect { if case .showNotification(let message) = $0 { message.code == "FLOW_NOTIFY_TAP_EXPIRES_SOON" } else { false } }
        phone.clock.aheadMs = 31 * 60_000
        phone.session.send(event: .tick)
        let expired = try await phone.screen { if case .tapExpired = $0 { true } else { false } }
        XCTAssertFalse(String(describing: expired).contains(code), "the expired TAP is no longer anywhere in the view")
    }

    func testGetPasskeyEndToEndWithASoftwareAuthenticator() async throws {
        let service = try TestService.fromEnvironment()
        // The platform's passkey API throws something undeclared the first time: the session
        // reports a failed passkey (not a cancel) and the user's second try goes through.
        let phone = try Phone(service: service, passkeys: FlakyPasskeys(softwarePasskeyProvider(origin: "https://id.contoso.example")))
        defer { phone.close() }
        try await throughIdentity(phone, upn: "dave@contoso.example", employeeId: "E1004")
        _ = try await phone.screen { if case .governmentId = $0 { true } else { false } }
        phone.session.send(event: .continue)
        let started = try await phone.effect { if case .startGovernmentIdCheck = $0 { true } else { false } }
        guard case .startGovernmentIdCheck(_, let handoff) = started else { return XCTFail("no hand-off: \(started)") }
        // The user on the partner's page; the verdict goes from the partner to the service.
        let verdict = try await completeReferencePartnerCheck(
            handoffUrl: handoff, documentJpeg: try Fixtures.data("id_document_856x540.jpg"), selfieJpeg: try Fixtures.data("face_selfie_640x480.jpg"))
        XCTAssertEqual(verdict, "verified")
        phone.session.send(event: .governmentIdHandoffEnded)
        _ = try await phone.screen { if case .addVerifiedId = $0 { true } else { false } }
        phone.session.send(event: .continue)
        try await phone.effect { $0 == .openAuthenticator }
        phone.session.send(event: .continue)
        try await passLiveness(phone)
        _ = try await phone.screen { if case .presentVerifiedId = $0 { true } else { false } }
        phone.session.send(event: .continue)
        _ = try await phone.screen { if case .review(.waiting) = $0 { true } else { false } }
        let id = try requestId(phone)
        try await reviewerCall(phone, service, id)
        try await service.review(id, "decision", json: #"{"decision":"approve"}"#)
        var failedNotice: String?
        for _ in 0..<1_500 {
            if let view = phone.streams.currentView, case .passkey = view.screen, let notice = view.notice { failedNotice = notice.code; break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertEqual(failedNotice, "FLOW_NOTICE_PASSKEY_FAILED", "the throw is a failed passkey")
        phone.session.send(event: .continue)
        let done = try await phone.screen { if case .done = $0 { true } else { false } }
        XCTAssertEqual(done, .done(credential: .passkey))
    }
}
