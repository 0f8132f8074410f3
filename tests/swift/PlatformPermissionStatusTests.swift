import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// iOS's authorization states as the core's permission statuses (the mapping the app uses).
final class PlatformPermissionStatusTests: XCTestCase {
    func testTheRawValuesAreApples() {
        XCTAssertEqual(CaptureAuthorization.allCases.map(\.rawValue), [0, 1, 2, 3])
        XCTAssertEqual(NotificationAuthorization.allCases.map(\.rawValue), [0, 1, 2, 3, 4])
        XCTAssertEqual(LocationAuthorization.allCases.map(\.rawValue), [0, 1, 2, 3, 4])
        XCTAssertEqual(LocationAccuracy.allCases.map(\.rawValue), [0, 1])
    }

    func testCameraAndMicrophone() {
        XCTAssertEqual(CaptureAuthorization.allCases.map(\.permissionStatus), [.notRequested, .permanentlyDenied, .permanentlyDenied, .granted])
        XCTAssertEqual(CaptureAuthorization.permissionStatus(rawValue: 3), .granted)
        XCTAssertEqual(CaptureAuthorization.permissionStatus(rawValue: 9), .permanentlyDenied, "a state this build does not know is no grant")
    }

    func testNotifications() {
        XCTAssertEqual(NotificationAuthorization.notDetermined.permissionStatus, .notRequested)
        XCTAssertEqual(NotificationAuthorization.denied.permissionStatus, .permanentlyDenied, "only Settings undoes it")
        XCTAssertEqual(NotificationAuthorization.authorized.permissionStatus, .granted)
        XCTAssertEqual(NotificationAuthorization.provisional.permissionStatus, .denied, "quiet delivery would miss the call; asking again shows the prompt")
        XCTAssertEqual(NotificationAuthorization.ephemeral.permissionStatus, .grantedOnlyThisTime)
        XCTAssertEqual(NotificationAuthorization.permissionStatus(rawValue: 2), .granted)
        XCTAssertEqual(NotificationAuthorization.permissionStatus(rawValue: -1), .permanentlyDenied)
    }

    func testLocationNeedsFullAccuracy() {
        for authorized in [LocationAuthorization.authorizedWhenInUse, .authorizedAlways] {
            XCTAssertEqual(authorized.permissionStatus(accuracy: .fullAccuracy), .granted)
            XCTAssertEqual(authorized.permissionStatus(accuracy: .reducedAccuracy), .reducedAccuracy)
            XCTAssertEqual(authorized.permissionStatus(accuracy: .fullAccuracy, fullAccuracyIsTemporary: true), .grantedOnlyThisTime,
                           "temporary full accuracy lapses with the session")
        }
        for accuracy in LocationAccuracy.allCases {
            XCTAssertEqual(LocationAuthorization.notDetermined.permissionStatus(accuracy: accuracy), .notRequested)
            XCTAssertEqual(LocationAuthorization.denied.permissionStatus(accuracy: accuracy), .permanentlyDenied)
            XCTAssertEqual(LocationAuthorization.restricted.permissionStatus(accuracy: accuracy), .permanentlyDenied)
        }
        XCTAssertEqual(LocationAuthorization.permissionStatus(rawValue: 4, accuracyRawValue: 0), .granted)
        XCTAssertEqual(LocationAuthorization.permissionStatus(rawValue: 4, accuracyRawValue: 1), .reducedAccuracy)
        XCTAssertEqual(LocationAuthorization.permissionStatus(rawValue: 4, accuracyRawValue: 7), .reducedAccuracy, "an unknown accuracy is not full")
        XCTAssertEqual(LocationAuthorization.permissionStatus(rawValue: 99, accuracyRawValue: 0), .permanentlyDenied)
    }

    /// The core, given what iOS reports, asks for what iOS can do: temporary full accuracy after
    /// reduced accuracy, the Settings app after a denial.
    func testTheCoreAsksIosForWhatIosCanDo() throws {
        let flow = OnboardingFlow(locale: .english, platform: .ios, distribution: .global)
        _ = flow.handle(event: .deviceChecked(profile: DeviceProfile(
            platform: .ios, osMajor: 17, osMinor: 5, distribution: .global, hasFrontCamera: true,
            notificationsSupported: true, networkAvailable: true, installedApps: [.companyPortal, .authenticator])), nowMs: 1_000)
        _ = flow.handle(event: .continue, nowMs: 1_000)
        for permission in [Permission.camera, .microphone, .notifications] {
            _ = flow.handle(event: .permissionReported(permission: permission, status: CaptureAuthorization.authorized.permissionStatus), nowMs: 1_000)
        }
        let reduced = flow.handle(event: .permissionReported(
            permission: .location, status: LocationAuthorization.authorizedWhenInUse.permissionStatus(accuracy: .reducedAccuracy)), nowMs: 1_000)
        XCTAssertTrue(reduced.effects.contains(.requestFullAccuracyLocation), "\(reduced.effects)")
        _ = flow.handle(event: .permissionReported(permission: .location, status: LocationAuthorization.denied.permissionStatus(accuracy: .fullAccuracy)), nowMs: 1_000)
        let retried = flow.handle(event: .continue, nowMs: 1_000)
        XCTAssertTrue(retried.effects.contains(.openAppSettings(permission: .location)), "\(retried.effects)")
    }
}
