import IdentityPassCore
import IdentityPassKit
import SwiftUI
import UIKit
import UserNotifications

/// The app: one window showing the core's current screen. Everything it shows comes from the
/// session's views; everything it does is an effect the session asked for.
@main
struct IdentityPassApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var appDelegate
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        let model = appDelegate.model
        WindowGroup {
            RootView()
                .environment(model)
                // Universal links (applinks:id.contoso.example, the service's /app/* links) and
                // the app's own URLs bring the user back to the onboarding; what changed is the
                // service's to say, so the session reads it.
                .onContinueUserActivity(NSUserActivityTypeBrowsingWeb) { _ in model.linkOpened() }
                .onOpenURL { _ in model.linkOpened() }
        }
        .onChange(of: scenePhase) { _, phase in
            if phase == .active { model.appBecameActive() }
        }
        // The core's wake-ups (`ScheduleWake`), run when iOS grants the refresh.
        .backgroundTask(.appRefresh(WakeScheduler.taskIdentifier)) {
            await model.wokenInBackground()
        }
    }
}

/// UIKit's callbacks that SwiftUI has no modifier for: the APNs token and remote notifications.
/// It owns the model so that a launch in the background (a push, a refresh) has the session too.
@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    let model = OnboardingModel(configuration: AppConfiguration.current())

    func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        model.start()
        // A token does not need the alert permission: silent pushes reach the app either way.
        application.registerForRemoteNotifications()
        return true
    }

    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        // The service's APNs sender wants the token as hex; it is a secret and never logged.
        let hex = deviceToken.map { String(format: "%02x", $0) }.joined()
        model.session?.registerPushToken(kind: .apns, token: hex)
    }

    func application(_ application: UIApplication, didFailToRegisterForRemoteNotificationsWithError error: Error) {
        // The long-poll still follows the review; nothing to tell the user.
    }

    func application(
        _ application: UIApplication, didReceiveRemoteNotification userInfo: [AnyHashable: Any]
    ) async -> UIBackgroundFetchResult {
        guard ReviewPush(userInfo: userInfo) != nil else { return .noData }
        model.session?.pushReceived()
        return .newData
    }

    /// A notification while the app is open: the screen already says it, so it goes to the
    /// list only (no banner over the button the user needs).
    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        [.list]
    }

    /// The user tapped a notification: the app is open again; a push's news is fetched.
    /// The completion-handler form, finished on the main thread: UIKit's handler behind the
    /// async form asserts the main thread, which a nonisolated async body does not run on.
    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        let isReviewPush = ReviewPush(userInfo: response.notification.request.content.userInfo) != nil
        DispatchQueue.main.async {
            MainActor.assumeIsolated {
                if isReviewPush { self.model.session?.pushReceived() }
            }
            completionHandler()
        }
    }
}
