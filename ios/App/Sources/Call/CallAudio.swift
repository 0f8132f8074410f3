import AVFoundation
import Foundation
import os

/// The call's sound: the microphone to the session and the reviewer's voice out of the speaker,
/// both 48 kHz mono 16-bit PCM, which is what the core's Opus codec takes and gives.
///
/// One `AVAudioEngine` does both, with voice processing on (echo cancellation, as the
/// `.videoChat` mode expects): without it the reviewer would hear their own voice come back
/// from the phone's speaker. The microphone is tapped and converted for `pushCallAudio`; the
/// reviewer's pieces become float buffers scheduled on a player node in the order they came.
///
/// Sound runs between `start` and `stop` (the call screen's appearance); the reviewer's voice
/// arriving at other times is dropped. Without the microphone permission the reviewer hears
/// silence and the user still hears them, which the call survives. Errors are logged, never the
/// samples.
final class CallAudio: @unchecked Sendable {
    /// The core's Opus rate, both ways.
    static let sampleRate = 48_000.0
    /// How much of the reviewer's voice may wait in the player (10 pieces, 200 ms): a burst
    /// after a network stall plays out, but the call does not stay that far behind for the rest.
    private static let queuedPiecesLimit = 10

    private let log = Logger(subsystem: "com.identitypass.app", category: "call-audio")
    private let voiceFormat = AVAudioFormat(standardFormatWithSampleRate: CallAudio.sampleRate, channels: 1)
    /// Starting, stopping and restarting the engine, one at a time: an interruption's end and
    /// the app's return to the foreground can both ask for a restart at once.
    private let queue = DispatchQueue(label: "com.identitypass.call.audio")
    // On `queue` only.
    private var push: (@Sendable ([Int16]) -> Void)?
    private var engine: AVAudioEngine?
    private var observers: [NSObjectProtocol] = []
    // The reviewer's voice arrives on another thread: guarded by `lock`, which is never held
    // while AVFoundation is called (a completion handler it runs would wait on it).
    private let lock = NSLock()
    private var player: AVAudioPlayerNode?
    private var queuedPieces = 0
    /// Counts the players, so that a stopped one's late completions do not free the next one's queue.
    private var generation = 0
    private var listener: Task<Void, Never>?

    /// `voice` is `CallStreams.audio`, read here for the whole session: an `AsyncStream` ends
    /// for good when the task reading it is cancelled, so it cannot be read call by call.
    init(voice: AsyncStream<[Int16]>) {
        listener = Task.detached { [weak self] in
            for await piece in voice { self?.play(piece) }
        }
    }

    deinit {
        listener?.cancel()
    }

    /// Opens the audio session and starts the engine; `push` gets the microphone's samples on
    /// the tap's thread, never the main one. Nothing happens if it is already started.
    func start(push: @escaping @Sendable ([Int16]) -> Void) {
        queue.async { [self] in
            guard self.push == nil else { return }
            self.push = push
            let session = AVAudioSession.sharedInstance()
            do {
                // The VoIP mode: the speaker by default, Bluetooth headsets allowed, the system's
                // voice processing tuned for a phone held at arm's length.
                try session.setCategory(.playAndRecord, mode: .videoChat, options: [.defaultToSpeaker])
                try session.setPreferredSampleRate(Self.sampleRate)
                try session.setPreferredIOBufferDuration(0.02)
                try session.setActive(true)
            } catch {
                log.error("the audio session did not open: \(String(describing: error), privacy: .public)")
            }
            observeInterruptions()
            startEngine()
        }
    }

    /// Stops the engine and gives the audio back to other apps (music the call paused resumes).
    func stop() {
        queue.async { [self] in
            guard push != nil else { return }
            push = nil
            for observer in observers { NotificationCenter.default.removeObserver(observer) }
            observers = []
            stopEngine()
            do {
                try AVAudioSession.sharedInstance().setActive(false, options: .notifyOthersOnDeactivation)
            } catch {
                log.error("the audio session did not close: \(String(describing: error), privacy: .public)")
            }
        }
    }

    /// A new engine if the running one was stopped: by a phone call or Siri (when the
    /// interruption ends), a route change (AirPods), or the app's time in the background. The
    /// system stops the engine then, and nothing restarts it but the app.
    func resumeIfStopped() {
        resume(changed: nil)
    }

    /// `changed`: the engine a configuration change was about. Another's (one given up as it
    /// started) changes nothing, or each failed start's change would bring the next.
    private func resume(changed: ObjectIdentifier?) {
        queue.async { [self] in
            guard push != nil, engine?.isRunning != true else { return }
            if let changed, engine.map({ ObjectIdentifier($0) }) != changed { return }
            try? AVAudioSession.sharedInstance().setActive(true)
            stopEngine()
            startEngine()
        }
    }

    /// On `queue`.
    private func startEngine() {
        guard let push, let voiceFormat else { return }
        let engine = AVAudioEngine()
        if AVCaptureDevice.authorizationStatus(for: .audio) == .authorized {
            tapMicrophone(of: engine, push: push)
        } else {
            // The input is left alone: there is nothing to record, and no echo to cancel.
            log.warning("no microphone permission; the reviewer hears silence")
        }
        // Connecting the mixer to an output without a format raises an uncatchable exception
        // too (a simulator on a host without a sound device).
        let speaker = engine.outputNode.outputFormat(forBus: 0)
        guard speaker.sampleRate > 0, speaker.channelCount > 0 else {
            log.error("no audio output; the call has no sound")
            return
        }
        let player = AVAudioPlayerNode()
        engine.attach(player)
        engine.connect(player, to: engine.mainMixerNode, format: voiceFormat)
        engine.prepare()
        do {
            try engine.start()
        } catch {
            // Interrupted already (a phone call): the interruption's end tries again.
            log.error("the call's audio did not start: \(String(describing: error), privacy: .public)")
            return
        }
        player.play()
        self.engine = engine
        lock.withLock {
            self.player = player
            queuedPieces = 0
            generation += 1
        }
    }

    /// On `queue`, before anything touches the engine's mixer: voice processing changes the
    /// I/O unit's formats.
    private func tapMicrophone(of engine: AVAudioEngine, push: @escaping @Sendable ([Int16]) -> Void) {
        let input = engine.inputNode
        do {
            try input.setVoiceProcessingEnabled(true)
        } catch {
            log.error("no echo cancellation: \(String(describing: error), privacy: .public)")
        }
        let format = input.outputFormat(forBus: 0)
        // A tap on an input without a format (no microphone) raises an Objective-C exception,
        // which Swift cannot catch.
        guard format.sampleRate > 0, format.channelCount > 0 else {
            log.warning("no microphone; the reviewer hears silence")
            return
        }
        let converter = MicrophoneConverter(push: push)
        // 20 ms asked; AVFoundation delivers taps in larger buffers (100 ms or more), which the
        // core takes in pieces of any size.
        input.installTap(onBus: 0, bufferSize: AVAudioFrameCount(Self.sampleRate / 50), format: format) { buffer, _ in
            converter.convert(buffer)
        }
    }

    /// On `queue`. The engine goes with its tap and player.
    private func stopEngine() {
        lock.withLock {
            player = nil
            generation += 1
        }
        engine?.stop()
        engine = nil
    }

    /// On `queue`.
    private func observeInterruptions() {
        let center = NotificationCenter.default
        let changed = center.addObserver(forName: .AVAudioEngineConfigurationChange, object: nil, queue: nil) { [weak self] note in
            guard let engine = note.object as? AVAudioEngine else { return }
            self?.resume(changed: ObjectIdentifier(engine))
        }
        let interrupted = center.addObserver(forName: AVAudioSession.interruptionNotification, object: nil, queue: nil) { [weak self] note in
            guard let raw = note.userInfo?[AVAudioSessionInterruptionTypeKey] as? UInt,
                  AVAudioSession.InterruptionType(rawValue: raw) == .ended
            else { return }
            self?.resumeIfStopped()
        }
        observers = [changed, interrupted]
    }

    /// The reviewer's piece, as a float buffer at the end of the player's queue.
    private func play(_ piece: [Int16]) {
        guard !piece.isEmpty, let voiceFormat,
              let buffer = AVAudioPCMBuffer(pcmFormat: voiceFormat, frameCapacity: AVAudioFrameCount(piece.count)),
              let channel = buffer.floatChannelData?[0]
        else { return }
        let slot: (player: AVAudioPlayerNode, generation: Int)? = lock.withLock {
            guard let player, queuedPieces < Self.queuedPiecesLimit else { return nil }
            queuedPieces += 1
            return (player, generation)
        }
        guard let slot else { return }
        for (index, sample) in piece.enumerated() {
            channel[index] = Float(sample) / 32_768
        }
        buffer.frameLength = AVAudioFrameCount(piece.count)
        let generation = slot.generation
        slot.player.scheduleBuffer(buffer, completionCallbackType: .dataConsumed) { [weak self] _ in
            self?.played(generation: generation)
        }
    }

    private func played(generation: Int) {
        lock.withLock {
            if generation == self.generation, queuedPieces > 0 { queuedPieces -= 1 }
        }
    }
}
