import AVFoundation

/// The microphone's buffers (the hardware's rate, float) as 48 kHz mono Int16 for the core,
/// handed to `push`. For `CallAudio`'s tap, on the tap's thread only. The converter keeps its
/// resampling state from one buffer to the next, and is made again if the input's format changes.
final class MicrophoneConverter: @unchecked Sendable {
    private let push: @Sendable ([Int16]) -> Void
    private let outputFormat = AVAudioFormat(commonFormat: .pcmFormatInt16, sampleRate: CallAudio.sampleRate, channels: 1, interleaved: true)
    private var converter: AVAudioConverter?

    init(push: @escaping @Sendable ([Int16]) -> Void) {
        self.push = push
    }

    func convert(_ buffer: AVAudioPCMBuffer) {
        guard let outputFormat, buffer.frameLength > 0, buffer.format.sampleRate > 0 else { return }
        if converter?.inputFormat != buffer.format {
            converter = AVAudioConverter(from: buffer.format, to: outputFormat)
            // Several input channels (some devices' voice processing) mixed into one.
            converter?.downmix = true
        }
        guard let converter else { return }
        let ratio = outputFormat.sampleRate / buffer.format.sampleRate
        // Room for the samples the resampler held back from the previous buffer.
        let capacity = AVAudioFrameCount((Double(buffer.frameLength) * ratio).rounded(.up)) + 64
        guard let output = AVAudioPCMBuffer(pcmFormat: outputFormat, frameCapacity: capacity) else { return }
        // The converter calls the block synchronously, inside `convert`, on this thread.
        nonisolated(unsafe) let input = buffer
        nonisolated(unsafe) var supplied = false
        var error: NSError?
        let status = converter.convert(to: output, error: &error) { _, inputStatus in
            // This buffer once, then "nothing more for now" (not the end of the stream), so the
            // converter keeps its state for the next one.
            if supplied {
                inputStatus.pointee = .noDataNow
                return nil
            }
            supplied = true
            inputStatus.pointee = .haveData
            return input
        }
        guard status != .error, error == nil, output.frameLength > 0, let samples = output.int16ChannelData?[0] else { return }
        push(Array(UnsafeBufferPointer(start: samples, count: Int(output.frameLength))))
    }
}
