//! Every type of the core that holds a secret or a picture prints none of it with `Debug`, or
//! has no `Debug` at all, so a `tracing` field, a panic or a failed assertion cannot leak it.
//! `SecretString` is the only one with `Display`, and it prints the marker too.

use crate::SecretString;
use crate::credential_vault::DeviceCredential;
use crate::device_binding::SoftwareDeviceKey;
use crate::flow::credential::{TapGrant, TapUsability};
use crate::secret::REDACTED;
use crate::selfie::capture::evidence_frame;
use crate::selfie::frame::{Frame, PixelFormat, Plane};
use crate::selfie::luma::LumaImage;
use crate::selfie::still::decode_jpeg;

const CANARY: &str = "canary-5f1d0c9e";

/// Panics if `printed` holds `secret` as text, or as a byte vector, hex or base64 would print it.
#[track_caller]
fn holds_none_of(printed: &str, secret: &[u8]) {
    use base64::Engine;
    let sample = &secret[..secret.len().min(24)];
    let listed: Vec<String> = sample.iter().map(u8::to_string).collect();
    let hex: String = sample.iter().map(|b| format!("{b:02x}")).collect();
    let forms = [
        String::from_utf8_lossy(sample).into_owned(),
        listed.join(", "),
        hex,
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(sample),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sample),
    ];
    for form in forms.iter().filter(|f| f.len() >= 8) {
        assert!(!printed.contains(form.as_str()), "a secret in Debug output ({form}): {printed}");
    }
}

fn debug(value: &impl std::fmt::Debug) -> String {
    format!("{value:?} {value:#?}")
}

/// Resolves only while `T` has no `Debug`: with one, both impls apply and the call is ambiguous,
/// so this file stops compiling the day somebody derives it.
trait AmbiguousIfDebug<Marker> {
    fn no_debug() {}
}
impl<T: ?Sized> AmbiguousIfDebug<()> for T {}
struct HasDebug;
impl<T: ?Sized + std::fmt::Debug> AmbiguousIfDebug<HasDebug> for T {}

#[test]
fn secrets_print_as_the_marker() {
    let secret = SecretString::new(CANARY.to_owned());
    assert_eq!((format!("{secret:?}"), format!("{secret}")), (REDACTED.to_owned(), REDACTED.to_owned()));
    let credential = DeviceCredential { device_id: "dev_0a1b".into(), device_secret: SecretString::new(CANARY.into()) };
    holds_none_of(&debug(&credential), CANARY.as_bytes());
    let grant = TapGrant {
        id: "tap_1".into(),
        code: SecretString::new(CANARY.into()),
        start_at: 0,
        lifetime_minutes: 30,
        is_usable_once: true,
        usability: TapUsability::EnabledByPolicy,
    };
    let printed = debug(&grant);
    holds_none_of(&printed, CANARY.as_bytes());
    assert!(printed.contains("tap_1") && printed.contains(REDACTED), "the rest stays readable: {printed}");
}

#[test]
fn a_device_key_prints_its_public_half_only() {
    let pkcs8 = SoftwareDeviceKey::generate_pkcs8().expect("key");
    let key = SoftwareDeviceKey::from_pkcs8(&pkcs8).expect("key");
    let printed = debug(&key);
    // The private scalar sits after the PKCS#8 and SEC1 headers; look for the whole document too.
    holds_none_of(&printed, &pkcs8[36..68]);
    holds_none_of(&printed, &pkcs8);
}

#[test]
fn pictures_print_their_size_only() {
    let pixels = vec![173u8; 64 * 48 * 3];
    let plane = Plane { data: &pixels, row_stride: 64 * 3, pixel_stride: 3 };
    let frame = Frame::new(64, 48, PixelFormat::Rgb, &[plane]).expect("frame");
    let evidence = evidence_frame(&frame, 1_000).expect("evidence");
    let printed = debug(&evidence);
    holds_none_of(&printed, evidence.expose_jpeg());
    holds_none_of(&printed, &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46]);
    assert!(printed.contains(REDACTED), "{printed}");

    let still = decode_jpeg(evidence.expose_jpeg(), 1..=4096).expect("decoded");
    holds_none_of(&debug(&still), &pixels);
    let luma = LumaImage::from_pixels(64, 48, vec![173u8; 64 * 48]).expect("luma");
    assert_eq!(format!("{luma:?}"), "LumaImage(64x48)");
}

#[test]
fn camera_buffers_have_no_debug() {
    let _ = <Plane<'static> as AmbiguousIfDebug<_>>::no_debug;
    let _ = <Frame<'static> as AmbiguousIfDebug<_>>::no_debug;
}
