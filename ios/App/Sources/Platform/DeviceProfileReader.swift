import Foundation
import IdentityPassCore
import Network
import UIKit

/// The facts of this phone the core's device check judges: OS version, front camera, network,
/// and whether Authenticator and Company Portal are installed (their URL schemes, declared in
/// `LSApplicationQueriesSchemes`). The judging is the core's.
@MainActor
enum DeviceProfileReader {
    /// Microsoft Authenticator and Intune Company Portal answer these schemes.
    private static let appSchemes: [(RequiredApp, String)] = [(.authenticator, "msauth://"), (.companyPortal, "companyportal://")]

    static func read(hasFrontCamera: Bool) async -> DeviceProfile {
        let version = ProcessInfo.processInfo.operatingSystemVersion
        #if DEBUG
        // The UI tests run on a simulator, where neither app can be installed; the fixture
        // "device" stands in for a prepared phone.
        let installed = AppConfiguration.current().fixtureFramesDirectory != nil ? [.companyPortal, .authenticator] : installedApps()
        #else
        let installed = installedApps()
        #endif
        return DeviceProfile(
            platform: .ios, osMajor: UInt32(clamping: version.majorVersion), osMinor: UInt32(clamping: version.minorVersion),
            distribution: .global, hasFrontCamera: hasFrontCamera,
            // Every iPhone on iOS 17 can show notifications; whether they are allowed is a permission.
            notificationsSupported: true,
            networkAvailable: await networkAvailable(), installedApps: installed)
    }

    private static func installedApps() -> [RequiredApp] {
        appSchemes.compactMap { app, scheme in
            URL(string: scheme).flatMap { UIApplication.shared.canOpenURL($0) ? app : nil }
        }
    }

    /// The current path's status, from one update of a short-lived monitor.
    private static func networkAvailable() async -> Bool {
        await withCheckedContinuation { continuation in
            let monitor = NWPathMonitor()
            let queue = DispatchQueue(label: "com.identitypass.network-check")
            let once = OnceFlag()
            monitor.pathUpdateHandler = { path in
                guard once.claim() else { return }
                monitor.cancel()
                continuation.resume(returning: path.status == .satisfied)
            }
            monitor.start(queue: queue)
        }
    }
}

/// True exactly once, whichever thread asks first.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}
