import Foundation
import IdentityPassCore

/// The reviewer's side of the video call as async sequences, for `SessionSettings.callMedia`:
/// `pictures` yields their newest picture (a view draws the latest and skips what it was too
/// slow for), `audio` their voice in 20-ms pieces of 48 kHz mono PCM, in order, for an
/// `AVAudioPlayerNode`. A speaker that falls more than a second behind loses the oldest pieces
/// rather than making the call lag. Pure Swift, so the Linux tests use the same type as the app.
public final class CallStreams: CallMediaOutput, @unchecked Sendable {
    public let pictures: AsyncStream<ReviewerPicture>
    public let audio: AsyncStream<[Int16]>
    private let pictureSink: AsyncStream<ReviewerPicture>.Continuation
    private let audioSink: AsyncStream<[Int16]>.Continuation
    private let lock = NSLock()
    private var latest: ReviewerPicture?

    /// One second of 20-ms pieces.
    private static let audioPiecesBuffered = 50

    public init() {
        (pictures, pictureSink) = AsyncStream.makeStream(of: ReviewerPicture.self, bufferingPolicy: .bufferingNewest(1))
        (audio, audioSink) = AsyncStream.makeStream(of: [Int16].self, bufferingPolicy: .bufferingNewest(Self.audioPiecesBuffered))
    }

    /// The reviewer's picture most recently received.
    public var currentPicture: ReviewerPicture? { lock.withLock { latest } }

    public func onReviewerPicture(picture: ReviewerPicture) {
        lock.withLock { latest = picture }
        pictureSink.yield(picture)
    }

    public func onReviewerAudio(samples: [Int16]) {
        audioSink.yield(samples)
    }

    deinit {
        pictureSink.finish()
        audioSink.finish()
    }
}
