//! The call's video codec: H.264 (Constrained Baseline, the profile every browser decodes),
//! encoded and decoded with Cisco's OpenH264 built from source.
//!
//! Why H.264 and OpenH264 (docs/video-call.md): the service forwards without transcoding, so
//! the app and the reviewer's browser need one codec both can encode and decode; OpenH264 is
//! the only encoder of a browser codec that builds for Android and iOS with a C++ compiler
//! alone, and measured 1.9–2.1 ms per 640×480 frame to encode, under 1 ms to decode, on one
//! x86 core. Built from source, the H.264 patent licence is the app's publisher's to hold
//! (Cisco's covers only its own binaries).

use bytes::Bytes;
use openh264::OpenH264API;
use openh264::decoder::{Decoder, DecoderConfig};
use openh264::encoder::{BitRate, Complexity, Encoder, EncoderConfig, FrameRate, Profile, RateControlMode, UsageType};
use openh264::formats::YUVSource;
use rtc::peer_connection::configuration::media_engine::MIME_TYPE_H264;
use rtc::rtp::codec::h264::H264Packet;
use rtc::rtp_transceiver::rtp_sender::{RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters};

use identity_pass_core::selfie::call_picture::CallPicture;

use super::CallMediaError;

/// The bit rate the encoder aims at: a face at 640×480 stays sharp, and it fits a mobile
/// uplink with room for the audio.
const TARGET_BITS_PER_SECOND: u32 = 1_000_000;
/// The camera rate the encoder is tuned for (it drops frames to hold the bit rate).
const MAX_FRAME_RATE: f32 = 30.0;
/// The payload type the offer proposes (the answer may choose another; the packetizer takes
/// the answer's).
const PAYLOAD_TYPE: u8 = 102;

/// The call's video codec, as the peer connection registers and (de)packetizes it.
pub struct VideoCodec;

/// H.264, packetization mode 1 (fragmented NAL units, what browsers send).
pub const VIDEO_CODEC: VideoCodec = VideoCodec;

impl VideoCodec {
    /// The codec as the offer lists it: Constrained Baseline level 3.1, with the feedback the
    /// call uses (keyframe requests, retransmission requests, bandwidth estimates).
    pub fn parameters(&self) -> RTCRtpCodecParameters {
        let feedback = |typ: &str, parameter: &str| RTCPFeedback { typ: typ.to_owned(), parameter: parameter.to_owned() };
        RTCRtpCodecParameters {
            rtp_codec: RTCRtpCodec {
                mime_type: MIME_TYPE_H264.to_owned(),
                clock_rate: 90_000,
                channels: 0,
                sdp_fmtp_line: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f".to_owned(),
                rtcp_feedback: vec![feedback("goog-remb", ""), feedback("ccm", "fir"), feedback("nack", ""), feedback("nack", "pli")],
            },
            payload_type: PAYLOAD_TYPE,
        }
    }

    /// Reassembles the reviewer's frames from RTP (Annex B, what the decoder takes).
    pub(super) fn depacketizer(&self) -> H264Packet {
        H264Packet::default()
    }
}

/// The camera's pictures to H.264.
pub struct VideoEncoder {
    encoder: Encoder,
    keyframe_wanted: bool,
}

/// A [`CallPicture`] as OpenH264 reads it.
struct PictureSource<'a>(&'a CallPicture);

impl YUVSource for PictureSource<'_> {
    fn dimensions(&self) -> (usize, usize) {
        (self.0.width() as usize, self.0.height() as usize)
    }

    fn strides(&self) -> (usize, usize, usize) {
        let width = self.0.width() as usize;
        (width, width / 2, width / 2)
    }

    fn y(&self) -> &[u8] {
        self.0.y()
    }

    fn u(&self) -> &[u8] {
        self.0.u()
    }

    fn v(&self) -> &[u8] {
        self.0.v()
    }
}

fn codec_error(error: openh264::Error) -> CallMediaError {
    CallMediaError::Codec(error.to_string())
}

impl VideoEncoder {
    /// A real-time camera encoder on one thread (the call must not take the phone's other
    /// cores from the UI).
    pub fn new() -> Result<Self, CallMediaError> {
        let config = EncoderConfig::new()
            .usage_type(UsageType::CameraVideoRealTime)
            .profile(Profile::Baseline)
            .rate_control_mode(RateControlMode::Bitrate)
            .bitrate(BitRate::from_bps(TARGET_BITS_PER_SECOND))
            .max_frame_rate(FrameRate::from_hz(MAX_FRAME_RATE))
            .complexity(Complexity::Low)
            .skip_frames(true)
            .num_threads(1);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config).map_err(codec_error)?;
        Ok(Self { encoder, keyframe_wanted: true })
    }

    /// The next frame is a keyframe (the reviewer's side lost one, or just connected).
    pub fn request_keyframe(&mut self) {
        self.keyframe_wanted = true;
    }

    /// One picture as an H.264 access unit (Annex B), or `None` when rate control skipped it.
    pub fn encode(&mut self, picture: &CallPicture) -> Result<Option<Bytes>, CallMediaError> {
        if std::mem::take(&mut self.keyframe_wanted) {
            self.encoder.force_intra_frame();
        }
        let bitstream = self.encoder.encode(&PictureSource(picture)).map_err(codec_error)?;
        let access_unit = bitstream.to_vec();
        Ok((!access_unit.is_empty()).then(|| Bytes::from(access_unit)))
    }
}

/// The reviewer's H.264 to pictures.
pub struct VideoDecoder {
    decoder: Decoder,
}

impl VideoDecoder {
    /// An H.264 decoder (any profile a browser sends).
    pub fn new() -> Result<Self, CallMediaError> {
        let decoder = Decoder::with_api_config(OpenH264API::from_source(), DecoderConfig::new()).map_err(codec_error)?;
        Ok(Self { decoder })
    }

    /// One access unit (Annex B); `None` until a picture is complete (parameter sets alone,
    /// or a frame before the first keyframe).
    pub fn decode(&mut self, access_unit: &[u8]) -> Result<Option<CallPicture>, CallMediaError> {
        let Some(decoded) = self.decoder.decode(access_unit).map_err(codec_error)? else { return Ok(None) };
        let (width, height) = decoded.dimensions();
        let (Ok(width), Ok(height)) = (u32::try_from(width), u32::try_from(height)) else { return Ok(None) };
        let picture = CallPicture::from_planes(width, height, (decoded.y(), decoded.u(), decoded.v()), decoded.strides());
        picture
            .map(Some)
            .ok_or_else(|| CallMediaError::Codec(format!("a decoded picture of {width}×{height} that does not fit its planes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity_pass_core::selfie::frame::{Frame, PixelFormat, Plane};
    use identity_pass_core::selfie::rotation::Rotation;

    fn picture(shift: u32) -> CallPicture {
        let (width, height) = (640u32, 480u32);
        let rgb: Vec<u8> = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                let in_square = (x + 640 - shift * 8) % 640 < 120 && (180..300).contains(&y);
                if in_square { [240, 200, 40] } else { [(x / 3) as u8, (y / 2) as u8, 90] }
            })
            .collect();
        let frame =
            Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: width * 3, pixel_stride: 3 }]).expect("frame");
        CallPicture::from_camera(&frame, Rotation::Upright)
    }

    /// What the app sends, its own decoder (the one that reads the reviewer) reads back: every
    /// frame, at its size, close to the original.
    #[test]
    fn pictures_encoded_for_the_reviewer_decode_back_at_their_size_and_close_to_the_original() {
        let mut encoder = VideoEncoder::new().expect("encoder");
        let mut decoder = VideoDecoder::new().expect("decoder");
        let mut decoded = 0;
        for shift in 0..20 {
            let original = picture(shift);
            let Some(access_unit) = encoder.encode(&original).expect("encode") else { continue };
            if shift == 0 {
                assert_eq!(&access_unit[..4], [0, 0, 0, 1], "Annex B");
            }
            let back = decoder.decode(&access_unit).expect("decode").expect("a picture per access unit");
            assert_eq!((back.width(), back.height()), (640, 480));
            let error: u64 = original.y().iter().zip(back.y()).map(|(a, b)| u64::from(a.abs_diff(*b))).sum();
            let mean_error = error as f64 / (640.0 * 480.0);
            assert!(mean_error < 6.0, "frame {shift}: mean luma error {mean_error:.2}");
            decoded += 1;
        }
        assert!(decoded >= 15, "rate control skipped too much: {decoded} of 20");
        // A keyframe on request (the reviewer's browser lost one).
        encoder.request_keyframe();
        let key = encoder.encode(&picture(21)).expect("encode").expect("a forced keyframe is never skipped");
        assert!(key.windows(5).any(|w| w[..4] == [0, 0, 0, 1] && w[4] & 0x1f == 5), "an IDR slice");
        // Garbage is an error or nothing, never a panic.
        assert!(decoder.decode(&[0, 0, 0, 1, 0x65, 1, 2, 3]).map_or(true, |p| p.is_none()));
    }
}
