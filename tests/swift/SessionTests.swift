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
        /// The reviewer's pictures and voice during the call: the session joins the call's media itself.
        let call = CallStreams()
        let session: OnboardingSession
        private let lock = NSLock()
        private var collected: [Effect] = []
        private var collector: Task<Void, Never>?
        private var timestamp: UInt64 = 1_000

        /// The next frame time, 100 ms after the last.
        func nextTimestamp() -> UInt64 {
            timestamp += 100
            return timestamp
        }

        init(service: TestService, passkeys: PasskeyProvider = softwarePasskeyProvider(origin: "https://id.contoso.example")) throws {
            session = try OnboardingSession.start(
                settings: SessionSettings(serviceUrl: service.url, platform: .ios, distribution: .global, languageTag: "en-US", pinnedKeys: [], callMedia: call),
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
            try await view { matches($0.screen) }.screen
        }

        /// Waits for a view (screen, notice, deadline…) that matches.
        func view(_ matches: (ViewState) -> Bool) async throws -> ViewState {
            for _ in 0..<1_500 {
                if let view = streams.currentView, matches(view) { return view }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            // A barcode's modules (thousands of booleans) are left out of the message.
            let shown = String(describing: streams.currentView).replacingOccurrences(of: #"dark: \[[^\]]*\]"#, with: "dark: […]", options: .regularExpression)
            throw TestFailure("stuck on \(shown)")
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

        /// The camera and the microphone while the call is open, as AVFoundation and
        /// AVAudioEngine deliver them: the fixture selfie 15 times a second, a 440 Hz tone in
        /// 20-ms pieces.
        func startCallMedia() throws -> Task<Void, Never> {
            let selfie = try Fixtures.data("face_selfie_640x480.nv21")
            let session = self.session
            return Task.detached {
                let camera = Task.detached {
                    var at: UInt64 = 0
                    while !Task.isCancelled {
                        at += 66
                        _ = try? session.pushFrame(frame: CameraFrame(width: 640, height: 480, format: .nv21,
                            planes: [FramePlane(data: selfie, rowStride: 640, pixelStride: 1)], timestampMs: at))
                        try? await Task.sleep(nanoseconds: 66_000_000)
                    }
                }
                var sample = 0
                while !Task.isCancelled {
                    let piece = (0..<960).map { i in Int16(8_000 * sin(2 * Double.pi * 440 * Double(sample + i) / 48_000)) }
                    session.pushCallAudio(samples: piece)
                    sample += 960
                    try? await Task.sleep(nanoseconds: 20_000_000)
                }
                camera.cancel()
            }
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
        // The service draws the actions; a person in front of the camera (the core's test
        // camera: the selfie's head turned and blinking in 3D) does what each verdict says.
        let person = ObedientCamera()
        var liveness: LivenessState?
        var asked: [String] = []
        for _ in 0..<160 {
            let verdict = try phone.session.pushFrame(frame: person.nextFrame(liveness: liveness, timestampMs: phone.nextTimestamp()))
            liveness = verdict.liveness
            if asked.last != verdict.messageCode { asked.append(verdict.messageCode) }
            if case .passed = verdict.liveness {
                XCTAssertTrue(asked.contains("LIVENESS_BLINK"), "every drawn sequence holds a blink: \(asked)")
                return
            }
        }
        XCTFail("the liveness challenge did not pass: \(asked)")
    }

    /// The reviewer's call, with the app's own media: the reviewer starts it and the user joins;
    /// the session opens the call's WebRTC media with the service and says "in the call" once it
    /// connects. The camera and the microphone run while the call is open; after 16 s (the
    /// minimum is 15) the user leaves. The service measures the time from the media: the
    /// reviewer can no longer record the join by hand, and the approval that follows passes on
    /// the service's count.
    private func reviewerCall(_ phone: Phone, _ service: TestService, _ requestId: String) async throws {
        try await service.review(requestId, "call")
        _ = try await phone.screen { if case .review(.callInvited) = $0 { true } else { false } }
        phone.session.send(event: .continue)
        try await phone.effect { if case .joinCall = $0 { true } else { false } }
        let media = try phone.startCallMedia()
        defer { media.cancel() }
        _ = try await phone.view { $0.title.code == "FLOW_REVIEW_IN_CALL_TITLE" }
        do {
            try await service.review(requestId, "join")
            XCTFail("the reviewer recorded a join the service measures itself")
        } catch let refused as TestFailure {
            XCTAssertTrue(refused.description.contains("409") && refused.description.contains("CALL_MEASURED_BY_SERVICE"), refused.description)
        }
        try await Task.sleep(nanoseconds: 16_000_000_000)
        phone.session.send(event: .callEnded)
    }

    /// "Get TAP" up to the TAP on the screen: identity, selfie, liveness, the reviewer's call and
    /// approval (for Alice and the runner's odd-numbered synthetic people, who are on her path).
    /// Returns the TAP shown.
    private func getTap(_ phone: Phone, _ service: TestService, upn: String, employeeId: String) async throws -> String {
        try await throughIdentity(phone, upn: upn, employeeId: employeeId)
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
        guard case .tap(let code?, _) = tap else { throw TestFailure("no TAP") }
        return code
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

    private func startOnABrokenStore(languageTag: String) throws -> OnboardingSession {
        try OnboardingSession.start(
            settings: SessionSettings(
                serviceUrl: try TestService.fromEnvironment().url, platform: .ios, distribution: .global, languageTag: languageTag,
                pinnedKeys: []),
            store: BrokenStore(), observer: SessionStreams(),
            passkeys: softwarePasskeyProvider(origin: "https://id.contoso.example"), deviceKey: CountingDeviceKey(), clock: nil)
    }

    func testAThrowingStoreIsATypedStartError() throws {
        XCTAssertThrowsError(try startOnABrokenStore(languageTag: "en-US")) { error in
            guard case SessionError.StoreUnavailable = error else { return XCTFail("\(error)") }
        }
    }

    /// A start that fails says why in the user's language, and "Try again" needs no session.
    func testAFailedStartExplainsItselfInTheUsersLanguage() throws {
        XCTAssertThrowsError(try startOnABrokenStore(languageTag: "zh-Hans-CN")) { error in
            guard case let SessionError.StoreUnavailable(_, explanation) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(explanation.code, "FLOW_START_STORE_UNAVAILABLE")
            XCTAssertTrue(explanation.text.contains("安全存储"), explanation.text)
        }
        XCTAssertEqual(controlLabel(control: .tryAgain, languageTag: "zh-CN").text, "重试")
        XCTAssertEqual(controlLabel(control: .tryAgain, languageTag: "en-GB").text, "Try again")
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
        let code = try await getTap(phone, service, upn: "alice@contoso.example", employeeId: "E1001")
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

    /// A QR code's fixed structure: a side of 17 + 4·version modules, the three finder patterns
    /// (7×7 rings around a 3×3 centre, each with a light separator) and the timing patterns.
    private func assertIsAQrCode(_ barcode: QrMatrix) {
        let size = Int(barcode.size)
        XCTAssertTrue(size >= 21 && (size - 17) % 4 == 0, "a QR code's side: \(size)")
        XCTAssertEqual(barcode.dark.count, size * size, "size × size modules")
        guard barcode.dark.count == size * size else { return }
        func dark(_ x: Int, _ y: Int) -> Bool { barcode.dark[y * size + x] }
        for (ox, oy) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for y in -1...7 {
                for x in -1...7 {
                    let (px, py) = (ox + x, oy + y)
                    guard (0..<size).contains(px), (0..<size).contains(py) else { continue }
                    // Outer ring and centre dark; the ring between and the separator around light.
                    let ring = (0...6).contains(x) && (0...6).contains(y) ? min(x, 6 - x, y, 6 - y) : 1
                    XCTAssertEqual(dark(px, py), ring != 1, "finder at (\(ox), \(oy)), module (\(x), \(y))")
                }
            }
        }
        for i in 8..<(size - 8) {
            XCTAssertEqual(dark(i, 6), i % 2 == 0, "the horizontal timing pattern at \(i)")
            XCTAssertEqual(dark(6, i), i % 2 == 0, "the vertical timing pattern at \(i)")
        }
    }

    private func secureAccount(_ view: ViewState) throws -> SecureAccountView {
        guard case .secureAccount(let account) = view.screen else { throw TestFailure("not securing the account: \(view.screen)") }
        return account
    }

    /// Issue 13, after the TAP, from Swift against the service: "Secure your account" signs in
    /// with the TAP; the mobile app is registered by this test acting as the user's authenticator
    /// app (the otpauth link the session hands over, an independent RFC 6238 code); then four
    /// security questions; then the password, on the service's page in the browser (this test),
    /// and the account is secured. The service alone says what is done. Mirrors SessionTest.kt.
    func testGetTapThenSecureTheAccount() async throws {
        let service = try TestService.fromEnvironment()
        let phone = try Phone(service: service)
        defer { phone.close() }
        // A person of its own (the runner seeds synthetic people): the account's methods are this
        // test's alone, whichever test ran before it on the shared service.
        let upn = "synthetic-00003@contoso.example"
        _ = try await getTap(phone, service, upn: upn, employeeId: "S00003")
        XCTAssertEqual(phone.streams.currentView?.primaryAction?.code, "FLOW_ACTION_SECURE_ACCOUNT", "the TAP screen offers to secure the account")

        // "Secure your account": the session signs in with the TAP at the service.
        phone.session.send(event: .continue)
        let signedIn = try await phone.view { if case .secureAccount = $0.screen { true } else { false } }
        let checklist = try secureAccount(signedIn)
        XCTAssertEqual(checklist.task, .checklist)
        XCTAssertTrue(checklist.methods.isEmpty && !checklist.complete, "nothing is registered yet")
        XCTAssertTrue(checklist.options.allSatisfy { !$0.done }, "nothing is done until the service says so: \(checklist.options)")
        XCTAssertTrue(checklist.options.contains { $0.task == .authenticatorApp }, "the policy offers the mobile app")
        // The TAP is one-time: 10 minutes to register a method, on the service's clock. The
        // service started by tests/start-service.sh runs on the machine's clock, and this test
        // leaves the phone's clock alone (aheadMs = 0): the service's time is the machine's,
        // which the window confirms (it opened at the sign-in, moments ago).
        func serviceNowMs() -> Int64 { phone.clock.nowMs() - phone.clock.aheadMs }
        let window = try XCTUnwrap(signedIn.deadline, "the registration window is shown")
        XCTAssertEqual(window.kind, .oneTimeRegistration)
        let openedAt = window.serverTime - 10 * 60_000
        XCTAssertTrue((serviceNowMs() - 60_000...serviceNowMs() + 5_000).contains(openedAt),
                      "the window opened at the sign-in: \(serviceNowMs() - openedAt) ms ago")

        // The mobile app: the activation, with the barcode the core drew.
        phone.session.send(event: .securityTaskChosen(task: .authenticatorApp))
        let activation = try await phone.view {
            if case .secureAccount(let account) = $0.screen, case .authenticatorApp(_, _, .some) = account.task { true } else { false }
        }
        guard case .authenticatorApp(let activationCode, let activationUrl, let barcode?) = try secureAccount(activation).task else {
            return XCTFail("no activation")
        }
        assertIsAQrCode(barcode)
        XCTAssertNotNil(activationCode?.range(of: "^[0-9]{9}$", options: .regularExpression), "a 9-digit activation code: \(String(describing: activationCode))")
        // For an app on another device; the service names itself by its listening address, which
        // is not always the one a simulator or emulator reaches it by.
        XCTAssertNotNil(activationUrl?.range(of: "^https?://.+/mfa/activate$", options: .regularExpression),
                        "the activation URL: \(String(describing: activationUrl))")
        XCTAssertEqual(activation.primaryAction?.code, "FLOW_ACTION_ADD_TO_APP")

        // "Add to the app on this phone": the otpauth link goes to the authenticator app, which
        // is this test from here on.
        phone.session.send(event: .continue)
        guard case .openOtpauthLink(let link) = try await phone.effect({ if case .openOtpauthLink = $0 { true } else { false } }) else {
            return XCTFail("no otpauth link")
        }
        let otpauth = try XCTUnwrap(Totp.OtpauthUri(link), "an otpauth URI")
        XCTAssertEqual(otpauth.type, "totp")
        XCTAssertTrue(otpauth.label.hasSuffix(":\(upn)"), "the account is named: \(otpauth.label)")
        XCTAssertEqual(otpauth.algorithm, "SHA1")
        XCTAssertEqual(otpauth.digits, 6)
        XCTAssertEqual(otpauth.period, 30, "RFC 6238's defaults")
        XCTAssertGreaterThanOrEqual(otpauth.secret?.count ?? 0, 20, "a secret of 160 bits or more")
        XCTAssertFalse(String(describing: phone.streams.currentView).contains(link), "the secret is not in the view")

        // A wrong code (none the service could accept around now): refused, explained, and the
        // activation stays for the next try.
        let nowSeconds = serviceNowMs() / 1_000
        let acceptable = Set((Int64(-1)...2).compactMap { otpauth.code(at: nowSeconds + $0 * otpauth.period) })
        let current = try XCTUnwrap(Int(try XCTUnwrap(otpauth.code(at: nowSeconds))))
        let candidates = (1...9).map { (n: Int) -> String in
            let digits = String((current + n * 111_111) % 1_000_000)
            return String(repeating: "0", count: 6 - digits.count) + digits
        }
        let wrong = try XCTUnwrap(candidates.first { !acceptable.contains($0) })
        phone.session.send(event: .verificationCodeEntered(code: wrong))
        let refused = try await phone.view { $0.notice?.code == "SERVICE_VERIFICATION_CODE_INVALID" }
        guard case .authenticatorApp = try secureAccount(refused).task else { return XCTFail("the task stays open") }
        XCTAssertTrue(try secureAccount(refused).methods.isEmpty)

        // The app's current code, on the service's clock.
        phone.session.send(event: .verificationCodeEntered(code: try XCTUnwrap(otpauth.code(at: serviceNowMs() / 1_000))))
        let registered = try await phone.view { if case .secureAccount(let account) = $0.screen { !account.methods.isEmpty } else { false } }
        let withApp = try secureAccount(registered)
        XCTAssertEqual(withApp.methods.map(\.kind), [.authenticatorApp])
        XCTAssertEqual(withApp.task, .checklist, "the accepted code ends the task")
        XCTAssertEqual(withApp.options.filter { $0.task == .authenticatorApp }.map(\.done), [true], "the mobile app is done")
        XCTAssertEqual(registered.deadline?.kind, .tapExpiry, "a method closes the 10-minute window")

        // Four security questions from the administrator's list; three are too few.
        phone.session.send(event: .securityTaskChosen(task: .securityQuestions))
        let asked = try await phone.view {
            if case .secureAccount(let account) = $0.screen, case .securityQuestions = account.task { true } else { false }
        }
        guard case .securityQuestions(let count, let questions) = try secureAccount(asked).task else { return XCTFail("no questions") }
        XCTAssertEqual(count, 4)
        XCTAssertGreaterThanOrEqual(questions.count, 8, "a list to pick from")
        XCTAssertEqual(Set(questions.map(\.id)).count, questions.count, "distinct ids")
        XCTAssertTrue(questions.allSatisfy { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }, "each question has its English text")
        let picked = Array(questions.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).prefix(4))
        phone.session.send(event: .securityAnswersEntered(answers: picked.prefix(3).map { SecurityAnswer(questionId: $0.id, answer: "Answer to \($0.id)") }))
        let tooFew = try await phone.view { $0.notice?.code == "SERVICE_SECURITY_QUESTIONS_TOO_FEW" }
        guard case .securityQuestions = try secureAccount(tooFew).task else { return XCTFail("the form stays") }
        phone.session.send(event: .securityAnswersEntered(answers: picked.map { SecurityAnswer(questionId: $0.id, answer: "  Answer to \($0.id)  ") }))
        let answered = try await phone.view {
            if case .secureAccount(let account) = $0.screen { account.options.contains { $0.task == .securityQuestions && $0.done } } else { false }
        }
        let secured = try secureAccount(answered)
        XCTAssertEqual(secured.task, .checklist)
        XCTAssertEqual(secured.methods.map(\.kind), [.authenticatorApp], "the app is still registered")
        XCTAssertFalse(secured.complete, "the password is still to be set: the service says so")
        XCTAssertEqual(secured.options.filter { $0.task == .password }.map(\.done), [false])

        // The password: the session asks the service for its one-use page and hands the link to
        // the browser, which is this test from here on. The phone never holds the password.
        phone.session.send(event: .securityTaskChosen(task: .password))
        guard case .openPasswordPage(let pageLink) = try await phone.effect({ if case .openPasswordPage = $0 { true } else { false } }) else {
            return XCTFail("no password page")
        }
        let waiting = try await phone.view { if case .secureAccount(let account) = $0.screen { account.task == .password } else { false } }
        XCTAssertFalse(try secureAccount(waiting).complete)
        XCTAssertEqual(waiting.primaryAction?.code, "FLOW_ACTION_CHECK_AGAIN", "the app waits for the browser")
        XCTAssertFalse(String(describing: waiting).contains(pageLink), "the link (a credential) is not in the view")
        let page = try XCTUnwrap(URLComponents(string: pageLink), "a URL: the link")
        XCTAssertEqual(page.path, "/account/password", "the service's password page")
        let query = try XCTUnwrap(page.percentEncodedQuery, "the link carries a one-use ticket")
        let ticketRange = try XCTUnwrap(query.range(of: "^ticket=[A-Za-z0-9]{32,}$", options: .regularExpression), "the link carries a one-use ticket")
        let ticket = String(query[ticketRange].dropFirst("ticket=".count))
        // The service names itself by its listening address, which is not always the one a
        // simulator reaches it by: the browser goes to the page's path at the service the test knows.
        let origin = try Browser.originOf(service.url)
        let pageUrl = "\(origin)\(page.percentEncodedPath)?\(query)"

        let shown = try await Browser.get(pageUrl)
        XCTAssertEqual(shown.status, 200, "the page: \(shown)")
        XCTAssertTrue(shown.body.contains("<form"), "a form: \(shown.body)")
        let policy = shown.header("Content-Security-Policy") ?? ""
        XCTAssertTrue(policy.contains("default-src 'none'") && policy.contains("form-action 'self'"), "a strict Content-Security-Policy: \(policy)")
        XCTAssertTrue(shown.body.contains(#"name="ticket" value="\#(ticket)""#), "the form carries the ticket")
        let form = try XCTUnwrap(shown.body.range(of: "<form[^>]*>", options: .regularExpression).map { shown.body[$0] }, "a form tag")
        let target = try XCTUnwrap(form.range(of: #"action="[^"]+""#, options: .regularExpression), "the form's target")
        let action = String(form[target].dropFirst(#"action=""#.count).dropLast())
        XCTAssertEqual(action, page.percentEncodedPath, "the form posts back to the page's path")

        // Typed twice, differently: refused, the form again (the same ticket, nothing spent).
        let password = "correct horse battery staple 42"
        let mismatch = try await Browser.postForm("\(origin)\(action)", [("ticket", ticket), ("password", password), ("confirmation", password + "!")], origin: origin)
        XCTAssertEqual(mismatch.status, 422, "a mismatching confirmation: \(mismatch)")
        XCTAssertTrue(mismatch.body.contains("<form") && mismatch.body.contains(#"role="alert""#), "the form again, with the problem: \(mismatch.body)")
        XCTAssertTrue(mismatch.body.contains(#"name="ticket" value="\#(ticket)""#), "the ticket is kept")
        XCTAssertFalse(mismatch.body.contains(password), "the password is not echoed back")
        let accepted = try await Browser.postForm("\(origin)\(action)", [("ticket", ticket), ("password", password), ("confirmation", password)], origin: origin)
        XCTAssertEqual(accepted.status, 200, "the password is set: \(accepted)")
        XCTAssertFalse(accepted.body.contains("<form"), "no form once it is set: \(accepted.body)")
        // The ticket was for one use.
        let spent = try await Browser.get(pageUrl)
        XCTAssertEqual(spent.status, 410, "the link is spent")

        // Back in the app: the session asks the service again, and the account is secured.
        phone.session.send(event: .appResumed)
        let complete = try await phone.view { if case .secureAccount(let account) = $0.screen { account.complete } else { false } }
        let done = try secureAccount(complete)
        XCTAssertEqual(done.options.filter { $0.task == .password }.map(\.done), [true], "the password is done: \(done.options)")
        XCTAssertEqual(done.methods.map(\.kind), [.authenticatorApp])
        XCTAssertEqual(complete.primaryAction?.code, "FLOW_ACTION_FINISH")
        phone.session.send(event: .continue)
        let finished = try await phone.screen { if case .done = $0 { true } else { false } }
        XCTAssertEqual(finished, .done(credential: .tap))
    }

    /// Dave (seed 001, "Get Passkey") from identity entry to the reviewer's approval: the
    /// partner's check, the Verified ID, liveness, its presentation and the call.
    private func throughPasskeyApproval(_ phone: Phone, _ service: TestService) async throws {
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
    }

    func testGetPasskeyEndToEndWithASoftwareAuthenticator() async throws {
        let service = try TestService.fromEnvironment()
        // The platform's passkey API throws something undeclared the first time: the session
        // reports a failed passkey (not a cancel) and the user's second try goes through.
        let phone = try Phone(service: service, passkeys: FlakyPasskeys(softwarePasskeyProvider(origin: "https://id.contoso.example")))
        defer { phone.close() }
        try await throughPasskeyApproval(phone, service)
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

    /// "Get Passkey" through the kit's AuthenticationServices mapping: the options parsed into
    /// what `ASAuthorizationPlatformPublicKeyCredentialProvider` takes, the answer rebuilt from
    /// the three fields an `ASAuthorizationPlatformPublicKeyCredentialRegistration` gives; the
    /// service verifies the attestation and accepts the passkey.
    func testGetPasskeyThroughTheAuthenticationServicesMapping() async throws {
        let service = try TestService.fromEnvironment()
        let passkeys = AuthenticationServicesShapedPasskeys(origin: "https://id.contoso.example")
        let phone = try Phone(service: service, passkeys: passkeys)
        defer { phone.close() }
        try await throughPasskeyApproval(phone, service)
        let done = try await phone.screen { if case .done = $0 { true } else { false } }
        XCTAssertEqual(done, .done(credential: .passkey), "the service accepted the rebuilt response")

        let request = try XCTUnwrap(passkeys.requests.first, "the options were parsed")
        XCTAssertEqual(passkeys.requests.count, 1)
        XCTAssertEqual(request.relyingPartyId, "id.contoso.example")
        XCTAssertEqual(request.userName, "dave@contoso.example")
        XCTAssertGreaterThanOrEqual(request.challenge.count, 16, "a WebAuthn challenge")
        let clientData = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(passkeys.clientDataJsons.first)) as? [String: Any])
        XCTAssertEqual(clientData["challenge"] as? String, Base64Url.encode(request.challenge), "the challenge parsed is the one signed")
        XCTAssertEqual(clientData["type"] as? String, "webauthn.create")
    }
}
