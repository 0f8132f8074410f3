import CoreLocation
import IdentityPassCore
import IdentityPassKit

/// Location authorization through `CLLocationManager`, whose answers arrive at its delegate.
/// The app never reads a position: the core needs precise location to be allowed.
@MainActor
final class LocationAuthority: NSObject, CLLocationManagerDelegate {
    /// The `NSLocationTemporaryUsageDescriptionDictionary` entry that explains why.
    static let purposeKey = "IdentityVerification"

    private let manager = CLLocationManager()
    private var waiting: [CheckedContinuation<PermissionStatus, Never>] = []
    /// Full accuracy granted for this session only (by the temporary request), which the core
    /// must re-read when the app comes back.
    private var fullAccuracyIsTemporary = false

    override init() {
        super.init()
        manager.delegate = self
    }

    func status() -> PermissionStatus {
        LocationAuthorization.permissionStatus(
            rawValue: manager.authorizationStatus.rawValue, accuracyRawValue: manager.accuracyAuthorization.rawValue,
            fullAccuracyIsTemporary: fullAccuracyIsTemporary)
    }

    /// The when-in-use prompt; answers with the status once the user chose (at once if iOS
    /// has a standing decision and shows nothing).
    func requestWhenInUse() async -> PermissionStatus {
        guard manager.authorizationStatus == .notDetermined else { return status() }
        return await withCheckedContinuation { continuation in
            waiting.append(continuation)
            manager.requestWhenInUseAuthorization()
        }
    }

    func requestTemporaryFullAccuracy() async -> PermissionStatus {
        do {
            try await manager.requestTemporaryFullAccuracyAuthorization(withPurposeKey: Self.purposeKey)
        } catch {
            // Refused or not possible (location off): the status says what remains.
        }
        if manager.accuracyAuthorization == .fullAccuracy { fullAccuracyIsTemporary = true }
        return status()
    }

    nonisolated func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        MainActor.assumeIsolated {
            // The delegate is also told at creation, before any choice: keep waiting then.
            guard manager.authorizationStatus != .notDetermined else { return }
            let answer = status()
            let resumed = waiting
            waiting.removeAll()
            resumed.forEach { $0.resume(returning: answer) }
        }
    }
}
