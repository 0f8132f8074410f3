import Foundation

/// Where the app's settings come from: the service's address from Info.plist
/// (`IdentityPassServiceURL`). Debug builds also take the UI tests' launch arguments, which
/// point the app at the reference service and at the fixture camera frames; a release build
/// ignores them, so a shipped app cannot be redirected.
struct AppConfiguration: Sendable {
    let serviceUrl: String
    /// The directory of the fixture camera frames, when the UI tests replace the camera.
    let fixtureFramesDirectory: URL?

    static func current(bundle: Bundle = .main, defaults: UserDefaults = .standard) -> AppConfiguration {
        let configured = bundle.object(forInfoDictionaryKey: "IdentityPassServiceURL") as? String ?? ""
        #if DEBUG
        // `-IdentityPassServiceURL <url>` and `-IdentityPassFixtures <dir>`: launch arguments
        // land in UserDefaults' argument domain.
        let serviceUrl = defaults.string(forKey: "IdentityPassServiceURL") ?? configured
        let fixtures = defaults.string(forKey: "IdentityPassFixtures").map { URL(fileURLWithPath: $0, isDirectory: true) }
        return AppConfiguration(serviceUrl: serviceUrl, fixtureFramesDirectory: fixtures)
        #else
        return AppConfiguration(serviceUrl: configured, fixtureFramesDirectory: nil)
        #endif
    }
}
