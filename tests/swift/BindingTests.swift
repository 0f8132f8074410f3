import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// One test per FFI feature, mirrored by name in tests/kotlin/BindingTest.kt. They test the
/// binding (records, errors, objects, async, foreign traits), not the core's rules. The same
/// file runs on Linux (swift test) and on the iOS simulator (xcodebuild test).
final class BindingTests: XCTestCase {
    private let credentialKey = "identity-pass.device-credential"

    private func phone(osMajor: UInt32) -> DeviceProfile {
        DeviceProfile(
            platform: .ios, osMajor: osMajor, osMinor: 0, distribution: .global,
            hasFrontCamera: true, notificationsSupported: true, networkAvailable: true,
            installedApps: [.companyPortal])
    }

    func testRecordRoundTrip() {
        let profile = phone(osMajor: 16)
        let check = checkDevice(profile: profile)
        XCTAssertEqual(check.profile, profile, "the record comes back field for field")
        XCTAssertEqual(check.blockers, [.osTooOld(minimum: 17, found: 16), .missingApp(app: .authenticator)])
        XCTAssertFalse(coreVersion().isEmpty)
    }

    func testRustErrorSurfacesAsSwiftError() async throws {
        let store = InMemorySecureStore()
        let vault = CredentialVault(store: store)
        store.fail(with: "keychain locked")
        do {
            _ = try await vault.enrollDevice()
            XCTFail("enrolling with a locked keychain must throw")
        } catch VaultError.StoreUnavailable(let reason) {
            XCTAssertTrue(reason.contains("keychain locked"), reason)
        }
        store.fail(with: nil)
        store.put(credentialKey, Data([0, 1, 2]))
        do {
            _ = try await vault.device()
            XCTFail("damaged data must throw")
        } catch VaultError.Corrupted {
            XCTAssertEqual(store.value(credentialKey), Data([0, 1, 2]), "damaged data is left alone")
        }
    }

    func testObjectLifetime() async throws {
        weak var weakStore: InMemorySecureStore?
        var vault: CredentialVault? = nil
        do {
            let store = InMemorySecureStore()
            weakStore = store
            vault = CredentialVault(store: store)
        }
        XCTAssertNotNil(weakStore, "the Rust object keeps the Swift store alive")
        _ = try await vault?.enrollDevice()
        vault?.release()
        do {
            _ = try await vault?.device()
            XCTFail("a released vault must throw")
        } catch VaultError.Closed {}
        XCTAssertNil(weakStore, "releasing the vault let Rust drop its reference to the store")
        vault = nil
    }

    func testAsyncFunctionSuspendsAndResumes() async throws {
        let vault = CredentialVault(store: InMemorySecureStore())
        let first = try await vault.enrollDevice()
        let second = try await vault.enrollDevice()
        XCTAssertEqual(first, second, "enrolling is idempotent")
        XCTAssertNotNil(first.deviceId.range(of: "^[0-9a-f]{32}$", options: .regularExpression), first.deviceId)
        try await vault.forgetDevice()
        let none = try await vault.device()
        XCTAssertNil(none)
        let third = try await vault.enrollDevice()
        XCTAssertNotEqual(first, third, "a forgotten device gets a new identity")
    }

    func testForeignTraitIsCalledFromRust() async throws {
        let store = InMemorySecureStore()
        let vault = CredentialVault(store: store)
        let device = try await vault.enrollDevice()
        XCTAssertEqual(store.writes, 1, "Rust wrote through the Swift store exactly once")
        XCTAssertEqual(store.keys, [credentialKey], "the core chose the key")
        let stored = String(decoding: store.value(credentialKey) ?? Data(), as: UTF8.self)
        XCTAssertTrue(stored.contains(device.deviceId))
    }

    /// Every control the core labels, listed because the generated `Control` is not `CaseIterable`.
    private static let everyControl: [Control] = [
        .consentAccept, .consentDecline, .workEmailField, .employeeIdField, .personalEmailField,
        .staffKindField, .staffKindEmployee, .staffKindExternal, .birthYearField, .birthMonthField,
        .birthDayField, .tapCode, .activationCode, .activationUrl, .phoneNumberField,
        .phoneExtensionField, .backupPhoneNumberField, .verificationCodeField, .pinField, .pinAgainField,
        .securityAnswerField, .chooseQuestion, .taskDone, .sendForm, .backToChecklist, .removeMethod, .leaveCall, .tryAgain,
    ]

    /// Never called: its switch has no `default`, so a case the core adds stops this file
    /// compiling until `everyControl` lists it.
    private static func mustBeListed(_ control: Control) {
        switch control {
        case .consentAccept, .consentDecline, .workEmailField, .employeeIdField, .personalEmailField,
             .staffKindField, .staffKindEmployee, .staffKindExternal, .birthYearField, .birthMonthField,
             .birthDayField, .tapCode, .activationCode, .activationUrl, .phoneNumberField,
             .phoneExtensionField, .backupPhoneNumberField, .verificationCodeField, .pinField, .pinAgainField,
             .securityAnswerField, .chooseQuestion, .taskDone, .sendForm, .backToChecklist, .removeMethod, .leaveCall, .tryAgain:
            break
        }
    }

    private func session(languageTag: String) throws -> OnboardingSession {
        try OnboardingSession.start(
            settings: SessionSettings(
                serviceUrl: TestService.fromEnvironment().url, platform: .ios, distribution: .global,
                languageTag: languageTag, pinnedKeys: []),
            store: InMemorySecureStore(), observer: SessionStreams(),
            passkeys: softwarePasskeyProvider(origin: "https://id.contoso.example"),
            deviceKey: softwareDeviceKey(store: InMemorySecureStore()), clock: nil)
    }

    func testControlLabelsComeInTheSessionLanguage() throws {
        let chinese = try session(languageTag: "zh-CN")
        let english = try session(languageTag: "en-US")
        defer {
            chinese.closeSession()
            english.closeSession()
        }
        XCTAssertEqual(chinese.label(control: .consentAccept).text, "我同意")
        XCTAssertEqual(english.label(control: .consentAccept).text, "I agree")
        XCTAssertEqual(Set(Self.everyControl).count, 28)
        for control in Self.everyControl {
            let zh = chinese.label(control: control), en = english.label(control: control)
            XCTAssertTrue(zh.code.hasPrefix("FLOW_LABEL_"), "\(control): \(zh.code)")
            XCTAssertEqual(zh.code, en.code, "\(control)")
            XCTAssertFalse(zh.text.isEmpty, "\(control)")
            XCTAssertFalse(en.text.isEmpty, "\(control)")
            XCTAssertNotEqual(zh.text, en.text, "\(control) is not translated")
        }
    }
}
