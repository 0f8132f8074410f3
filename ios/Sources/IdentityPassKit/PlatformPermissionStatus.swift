import Foundation
import IdentityPassCore

// What iOS says about a permission, as the core's `PermissionStatus`. The enums mirror Apple's
// (same cases, same raw values) so the app converts with `init(rawValue:)` and this mapping,
// the only one, is plain Foundation and tested on Linux. The core then decides what to ask next.
//
// On iOS the system prompt appears once: after a denial, asking again shows nothing, and only
// the Settings app can undo it. So every iOS refusal is `PermanentlyDenied`, and the core sends
// the user to Settings rather than re-prompting in vain.

/// `AVAuthorizationStatus` (camera, microphone).
public enum CaptureAuthorization: Int, CaseIterable, Sendable {
    case notDetermined = 0
    case restricted = 1
    case denied = 2
    case authorized = 3

    /// `restricted` (Screen Time, a device-management profile) cannot be granted from the
    /// prompt either; Settings is where the user sees why, so it is treated as a denial.
    public var permissionStatus: PermissionStatus {
        switch self {
        case .notDetermined: .notRequested
        case .restricted, .denied: .permanentlyDenied
        case .authorized: .granted
        }
    }

    /// For a raw value from a newer iOS than this build knows: not a grant, so the core keeps
    /// the step open and the user can fix it in Settings.
    public static func permissionStatus(rawValue: Int) -> PermissionStatus {
        Self(rawValue: rawValue)?.permissionStatus ?? .permanentlyDenied
    }
}

/// `UNAuthorizationStatus` (notifications).
public enum NotificationAuthorization: Int, CaseIterable, Sendable {
    case notDetermined = 0
    case denied = 1
    case authorized = 2
    case provisional = 3
    case ephemeral = 4

    /// `provisional` delivers quietly to Notification Center only: the reviewer's call
    /// invitation would not alert anyone, so it is not enough. Unlike a denial, asking again
    /// does show the full prompt, hence `Denied` (the core may ask again) rather than
    /// `PermanentlyDenied`. `ephemeral` is an App Clip's grant that expires: it is "only this
    /// time", which the core re-checks when the app comes back.
    public var permissionStatus: PermissionStatus {
        switch self {
        case .notDetermined: .notRequested
        case .denied: .permanentlyDenied
        case .authorized: .granted
        case .provisional: .denied
        case .ephemeral: .grantedOnlyThisTime
        }
    }

    /// See `CaptureAuthorization.permissionStatus(rawValue:)`.
    public static func permissionStatus(rawValue: Int) -> PermissionStatus {
        Self(rawValue: rawValue)?.permissionStatus ?? .permanentlyDenied
    }
}

/// `CLAuthorizationStatus` (location; its raw type is `Int32`).
public enum LocationAuthorization: Int32, CaseIterable, Sendable {
    case notDetermined = 0
    case restricted = 1
    case denied = 2
    case authorizedAlways = 3
    case authorizedWhenInUse = 4
}

/// `CLAccuracyAuthorization`.
public enum LocationAccuracy: Int, CaseIterable, Sendable {
    case fullAccuracy = 0
    case reducedAccuracy = 1
}

extension LocationAuthorization {
    /// The core's status for location, which needs precise positions.
    ///
    /// - `reducedAccuracy` is `ReducedAccuracy`: the core asks for temporary full accuracy.
    /// - `fullAccuracyIsTemporary`: full accuracy granted by
    ///   `requestTemporaryFullAccuracyAuthorization` lasts only while the app is in use, so it
    ///   is "only this time" and the core re-reads it when the app comes back.
    /// - iOS's "Allow Once" is `authorizedWhenInUse` until the app leaves the foreground, when
    ///   it falls back to `notDetermined`; the re-check on resume sees that.
    public func permissionStatus(accuracy: LocationAccuracy, fullAccuracyIsTemporary: Bool = false) -> PermissionStatus {
        switch self {
        case .notDetermined: .notRequested
        case .restricted, .denied: .permanentlyDenied
        case .authorizedAlways, .authorizedWhenInUse:
            switch accuracy {
            case .reducedAccuracy: .reducedAccuracy
            case .fullAccuracy: fullAccuracyIsTemporary ? .grantedOnlyThisTime : .granted
            }
        }
    }

    /// From the raw values; an unknown status is not a grant, an unknown accuracy is not full.
    public static func permissionStatus(rawValue: Int32, accuracyRawValue: Int, fullAccuracyIsTemporary: Bool = false) -> PermissionStatus {
        guard let authorization = Self(rawValue: rawValue) else { return .permanentlyDenied }
        return authorization.permissionStatus(
            accuracy: LocationAccuracy(rawValue: accuracyRawValue) ?? .reducedAccuracy, fullAccuracyIsTemporary: fullAccuracyIsTemporary)
    }
}
