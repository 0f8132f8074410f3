import AVFoundation
import IdentityPassCore
import IdentityPassKit
import UserNotifications

/// Asks iOS for camera, microphone and notification authorization and reads what it says,
/// translated by the kit's `PlatformPermissionStatus` (the only mapping). Location has its own
/// type: it answers through a delegate.
@MainActor
final class PermissionAuthority {
    private let location = LocationAuthority()

    /// Shows the system prompt (iOS shows it once; after that it answers at once with the
    /// standing decision) and returns what iOS then says.
    func request(_ permission: Permission) async -> PermissionStatus {
        switch permission {
        case .camera:
            _ = await AVCaptureDevice.requestAccess(for: .video)
        case .microphone:
            _ = await AVCaptureDevice.requestAccess(for: .audio)
        case .notifications:
            // Alerts for the reviewer's call; time-sensitive delivery is an entitlement, not an option.
            _ = try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])
        case .location:
            return await location.requestWhenInUse()
        }
        return await status(permission)
    }

    /// iOS's standing answer, asking nothing.
    func status(_ permission: Permission) async -> PermissionStatus {
        switch permission {
        case .camera:
            return CaptureAuthorization.permissionStatus(rawValue: AVCaptureDevice.authorizationStatus(for: .video).rawValue)
        case .microphone:
            return CaptureAuthorization.permissionStatus(rawValue: AVCaptureDevice.authorizationStatus(for: .audio).rawValue)
        case .notifications:
            let settings = await UNUserNotificationCenter.current().notificationSettings()
            return NotificationAuthorization.permissionStatus(rawValue: settings.authorizationStatus.rawValue)
        case .location:
            return location.status()
        }
    }

    /// Temporary precise location, after the user granted only an approximate one.
    func requestFullAccuracyLocation() async -> PermissionStatus {
        await location.requestTemporaryFullAccuracy()
    }
}
