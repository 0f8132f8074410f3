import BackgroundTasks
import Foundation

/// The core's `ScheduleWake`: a background app refresh no earlier than the phone time it names,
/// which the scene's `.backgroundTask(.appRefresh(...))` turns into a `Tick`. Chosen over a
/// local notification at that time because the core decides, when the moment comes, whether
/// anything is worth saying and in which words; a notification scheduled now would need its
/// text now. iOS runs refreshes at its discretion (never early, sometimes late); while the app
/// runs the session keeps its own timers, and every return to the foreground ticks.
enum WakeScheduler {
    static let taskIdentifier = "com.identitypass.app.wake"

    static func schedule(atPhoneTimeMs phoneTimeMs: Int64) {
        let request = BGAppRefreshTaskRequest(identifier: taskIdentifier)
        request.earliestBeginDate = Date(timeIntervalSince1970: TimeInterval(phoneTimeMs) / 1_000)
        // One pending refresh per identifier: the newest wake replaces the one before. A refusal
        // (refresh disabled in Settings) leaves the foreground ticks.
        try? BGTaskScheduler.shared.submit(request)
    }
}
