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
use crate::selfie::still::decode_jpeg;
use crate::testing::assert_debug_hides;

const CANARY: &str = "canary-5f1d0c9e";

#[test]
fn secrets_print_as_the_marker() {
    let secret = SecretString::new(CANARY.to_owned());
    assert_eq!((format!("{secret:?}"), format!("{secret}")), (REDACTED.to_owned(), REDACTED.to_owned()));
    let credential = DeviceCredential { device_id: "dev_0a1b".into(), device_secret: SecretString::new(CANARY.into()) };
    assert_debug_hides(&credential, CANARY.as_bytes());
    let grant = TapGrant {
        id: "tap_1".into(),
        code: SecretString::new(CANARY.into()),
        start_at: 0,
        lifetime_minutes: 30,
        is_usable_once: true,
        usability: TapUsability::EnabledByPolicy,
    };
    let printed = assert_debug_hides(&grant, CANARY.as_bytes());
    assert!(printed.contains("tap_1") && printed.contains(REDACTED), "the rest stays readable: {printed}");
}

#[test]
fn a_device_key_prints_its_public_half_only() {
    let pkcs8 = SoftwareDeviceKey::generate_pkcs8().expect("key");
    let key = SoftwareDeviceKey::from_pkcs8(&pkcs8).expect("key");
    // The private scalar sits after the PKCS#8 and SEC1 headers; look for the whole document too.
    assert_debug_hides(&key, &pkcs8[36..68]);
    assert_debug_hides(&key, &pkcs8);
}

#[test]
fn pictures_print_their_size_only() {
    let pixels = vec![173u8; 64 * 48 * 3];
    let plane = Plane { data: &pixels, row_stride: 64 * 3, pixel_stride: 3 };
    let frame = Frame::new(64, 48, PixelFormat::Rgb, &[plane]).expect("frame");
    let evidence = evidence_frame(&frame, 1_000).expect("evidence");
    let printed = assert_debug_hides(&evidence, evidence.expose_jpeg());
    assert_debug_hides(&evidence, &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46]);
    assert!(printed.contains(REDACTED), "{printed}");

    let still = decode_jpeg(evidence.expose_jpeg(), 1..=4096).expect("decoded");
    assert_debug_hides(&still, &pixels);
}

#[test]
fn camera_buffers_have_no_debug() {
    crate::assert_no_debug!(Plane<'static>, Frame<'static>, crate::selfie::rotation::UprightCopy);
}
