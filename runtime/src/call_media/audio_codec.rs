//! The call's voice: Opus at 48 kHz, mono, 20 ms packets, both ways.
//!
//! `opus-rs`, a Rust port of libopus 1.6: no C to build for the phones, and packets that
//! libopus (the browser's decoder) decodes like its own, and the reverse (checked with libopus
//! when it was chosen; docs/video-call.md). The shells capture and play PCM with their
//! platform's audio (`OnboardingRuntime::push_call_audio`, `SessionListener::on_call_audio`);
//! everything between is here.

use bytes::Bytes;
use opus_rs::{Application, OpusDecoder, OpusEncoder};
use rtc::peer_connection::configuration::media_engine::MIME_TYPE_OPUS;
use rtc::rtp_transceiver::rtp_sender::{RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters};

use super::CallMediaError;

/// Opus's clock, and the rate the shells capture and play at.
pub const SAMPLE_RATE: u32 = 48_000;
/// Samples in one packet: 20 ms, what browsers send and expect.
pub const SAMPLES_PER_PACKET: usize = 960;
/// Voice, not music: 24 kbit/s is clear speech in Opus's wideband modes.
const TARGET_BITS_PER_SECOND: i32 = 24_000;
/// The longest packet a browser sends is 120 ms; the decoder has room for it.
const MAX_DECODED_SAMPLES: usize = 5_760;
/// The payload type the offer proposes (WebRTC's customary one for Opus).
const PAYLOAD_TYPE: u8 = 111;
/// The largest Opus packet (RFC 6716 §3.4).
const MAX_PACKET_BYTES: usize = 1_275;

/// Opus as the offer lists it (`opus/48000/2`, as WebRTC always declares it, carrying mono).
pub(super) fn opus_parameters() -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: MIME_TYPE_OPUS.to_owned(),
            clock_rate: SAMPLE_RATE,
            channels: 2,
            sdp_fmtp_line: "minptime=10;useinbandfec=1".to_owned(),
            rtcp_feedback: vec![RTCPFeedback { typ: "transport-cc".to_owned(), parameter: String::new() }],
        },
        payload_type: PAYLOAD_TYPE,
    }
}

fn codec_error(error: &str) -> CallMediaError {
    CallMediaError::Codec(format!("opus: {error}"))
}

/// The microphone's PCM to Opus packets, 20 ms each.
pub struct AudioEncoder {
    encoder: OpusEncoder,
    /// Samples waiting to fill the next packet.
    pending: Vec<i16>,
}

impl AudioEncoder {
    /// A voice encoder: 48 kHz mono, 24 kbit/s, in-band forward error correction.
    pub fn new() -> Result<Self, CallMediaError> {
        let mut encoder = OpusEncoder::new(SAMPLE_RATE as i32, 1, Application::Voip).map_err(codec_error)?;
        encoder.bitrate_bps = TARGET_BITS_PER_SECOND;
        encoder.use_inband_fec = true;
        Ok(Self { encoder, pending: Vec::with_capacity(2 * SAMPLES_PER_PACKET) })
    }

    /// Takes captured samples (any count) and returns the packets they completed.
    pub fn encode(&mut self, samples: &[i16]) -> Result<Vec<Bytes>, CallMediaError> {
        self.pending.extend_from_slice(samples);
        let mut packets = Vec::new();
        let mut output = [0u8; MAX_PACKET_BYTES];
        while self.pending.len() >= SAMPLES_PER_PACKET {
            let length =
                self.encoder.encode_i16(&self.pending[..SAMPLES_PER_PACKET], SAMPLES_PER_PACKET, &mut output).map_err(codec_error)?;
            packets.push(Bytes::copy_from_slice(&output[..length]));
            self.pending.drain(..SAMPLES_PER_PACKET);
        }
        Ok(packets)
    }
}

/// The reviewer's Opus to PCM for the speaker.
pub struct AudioDecoder {
    decoder: OpusDecoder,
    output: Vec<f32>,
}

impl AudioDecoder {
    /// A decoder of 48 kHz Opus to mono (a stereo packet is mixed down).
    pub fn new() -> Result<Self, CallMediaError> {
        let decoder = OpusDecoder::new(SAMPLE_RATE as i32, 1).map_err(codec_error)?;
        Ok(Self { decoder, output: vec![0.0; MAX_DECODED_SAMPLES] })
    }

    /// One packet as 48 kHz mono samples.
    pub fn decode(&mut self, packet: &[u8]) -> Result<Vec<i16>, CallMediaError> {
        let samples = self.decoder.decode(packet, MAX_DECODED_SAMPLES, &mut self.output).map_err(codec_error)?;
        let decoded = self.output.get(..samples).ok_or_else(|| codec_error("more samples than room"))?;
        Ok(decoded.iter().map(|&s| (s * 32_767.0).clamp(-32_768.0, 32_767.0) as i16).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(frequency: f32, samples: usize, start: usize) -> Vec<i16> {
        (start..start + samples)
            .map(|n| (8_000.0 * (2.0 * std::f32::consts::PI * frequency * n as f32 / SAMPLE_RATE as f32).sin()) as i16)
            .collect()
    }

    fn rms(samples: &[i16]) -> f64 {
        (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len().max(1) as f64).sqrt()
    }

    /// Captured audio in pieces of any size comes out as 20 ms packets, and decodes back to
    /// the tone (Opus is lossy: the loudness, not the samples, comes back).
    #[test]
    fn a_tone_in_uneven_pieces_becomes_20_ms_packets_that_decode_back_to_the_tone() {
        let mut encoder = AudioEncoder::new().expect("encoder");
        let mut decoder = AudioDecoder::new().expect("decoder");
        let mut packets = Vec::new();
        let mut at = 0;
        for piece in [441, 1_000, 7, 960, 2_392] {
            packets.extend(encoder.encode(&tone(440.0, piece, at)).expect("encode"));
            at += piece;
        }
        assert_eq!(packets.len(), at / SAMPLES_PER_PACKET, "every whole 20 ms, and only those");
        assert!(packets.iter().all(|p| p.len() < 200), "voice-rate packets");
        let decoded: Vec<i16> = packets.iter().flat_map(|p| decoder.decode(p).expect("decode")).collect();
        assert_eq!(decoded.len(), packets.len() * SAMPLES_PER_PACKET);
        let (sent, heard) = (rms(&tone(440.0, SAMPLES_PER_PACKET, 0)), rms(&decoded[SAMPLES_PER_PACKET * 2..]));
        assert!((heard / sent - 1.0).abs() < 0.3, "sent rms {sent:.0}, heard {heard:.0}");
        // Silence stays silence.
        let quiet: Vec<i16> =
            encoder.encode(&[0; 4 * SAMPLES_PER_PACKET]).expect("encode").iter().flat_map(|p| decoder.decode(p).expect("decode")).collect();
        assert!(rms(&quiet[SAMPLES_PER_PACKET * 2..]) < 300.0, "{}", rms(&quiet));
    }
}
