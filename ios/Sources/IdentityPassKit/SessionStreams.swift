import Foundation
import IdentityPassCore

/// The session's observer as async sequences: `views` yields each screen to show (an
/// `AsyncStream` that keeps only the newest: a UI needs the latest screen, not every one),
/// `effects` yields every platform effect in order and drops none (each is an action the shell
/// performs exactly once). Pure Swift, so the Linux tests use the same type as the app.
public final class SessionStreams: SessionObserver, @unchecked Sendable {
    public let views: AsyncStream<ViewState>
    public let effects: AsyncStream<Effect>
    private let viewSink: AsyncStream<ViewState>.Continuation
    private let effectSink: AsyncStream<Effect>.Continuation
    private let lock = NSLock()
    private var latest: ViewState?

    public init() {
        (views, viewSink) = AsyncStream.makeStream(of: ViewState.self, bufferingPolicy: .bufferingNewest(1))
        (effects, effectSink) = AsyncStream.makeStream(of: Effect.self, bufferingPolicy: .unbounded)
    }

    /// The screen most recently published.
    public var currentView: ViewState? { lock.withLock { latest } }

    public func onView(view: ViewState) {
        lock.withLock { latest = view }
        viewSink.yield(view)
    }

    public func onPlatformEffect(effect: Effect) {
        effectSink.yield(effect)
    }

    deinit {
        viewSink.finish()
        effectSink.finish()
    }
}
