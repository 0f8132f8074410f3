import IdentityPassCore
import UserNotifications

/// The core's `ShowNotification`: a local notification with the core's text, in the user's
/// language. Time-sensitive, so a Focus lets the reviewer's call through.
enum Notifier {
    static func show(_ message: LocalizedMessage) async {
        let content = UNMutableNotificationContent()
        content.body = message.text
        content.sound = .default
        content.interruptionLevel = .timeSensitive
        // One notification per kind: a newer one of the same code replaces the older.
        let request = UNNotificationRequest(identifier: message.code, content: content, trigger: nil)
        try? await UNUserNotificationCenter.current().add(request)
    }
}
