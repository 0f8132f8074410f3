//! Test doubles for what cannot exist on a build machine (a phone's keystore).
//! Compiled only for tests and for crates that opt into the `test-support` feature.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::secure_store::{SecureStore, SecureStoreError, StoreKey};

/// A `SecureStore` fake that keeps values in memory. **Not secure storage**: tests only.
#[derive(Default)]
pub struct MemorySecureStore {
    values: Mutex<HashMap<StoreKey, Vec<u8>>>,
    failure: Mutex<Option<String>>,
}

impl MemorySecureStore {
    /// Puts bytes in place as a platform store would hold them (to simulate old or damaged data).
    pub fn put_raw(&self, key: StoreKey, value: Vec<u8>) {
        self.lock_values().insert(key, value);
    }

    /// The bytes held under `key`.
    pub fn raw(&self, key: StoreKey) -> Option<Vec<u8>> {
        self.lock_values().get(&key).cloned()
    }

    /// Makes every later call fail with `Unavailable` (or succeed again with `None`).
    pub fn fail_with(&self, reason: Option<&str>) {
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = reason.map(str::to_owned);
    }

    fn check(&self) -> Result<(), SecureStoreError> {
        match &*self.failure.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(reason) => Err(SecureStoreError::Unavailable { reason: reason.clone() }),
            None => Ok(()),
        }
    }

    fn lock_values(&self) -> std::sync::MutexGuard<'_, HashMap<StoreKey, Vec<u8>>> {
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecureStore for MemorySecureStore {
    fn read(&self, key: StoreKey) -> Result<Option<Vec<u8>>, SecureStoreError> {
        self.check()?;
        Ok(self.raw(key))
    }

    fn write(&self, key: StoreKey, value: Vec<u8>) -> Result<(), SecureStoreError> {
        self.check()?;
        self.put_raw(key, value);
        Ok(())
    }

    fn delete(&self, key: StoreKey) -> Result<(), SecureStoreError> {
        self.check()?;
        self.lock_values().remove(&key);
        Ok(())
    }
}

/// Panics if `value`'s `Debug` output (plain and pretty) holds `secret`: as text, or as a byte
/// vector, hex or base64 would print its first 24 bytes. Returns the output, so a test can also
/// check that the rest of the value stays readable. Used by every crate's `redaction_tests`.
#[track_caller]
pub fn assert_debug_hides(value: &impl std::fmt::Debug, secret: &[u8]) -> String {
    use base64::Engine;
    let printed = format!("{value:?} {value:#?}");
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
    printed
}

/// Resolves only while `T` has no `Debug`: with one, both impls below apply and the call is
/// ambiguous. [`assert_no_debug!`](crate::assert_no_debug) is the way to use it.
pub trait AmbiguousIfDebug<Marker> {
    /// Named by the macro; never called.
    fn no_debug() {}
}
impl<T: ?Sized> AmbiguousIfDebug<()> for T {}
/// The marker of the impl that applies to `Debug` types.
pub struct HasDebug;
impl<T: ?Sized + std::fmt::Debug> AmbiguousIfDebug<HasDebug> for T {}

/// Stops compiling the day one of the types gets a `Debug` (for types that carry a secret in
/// transit and must never be printed).
#[macro_export]
macro_rules! assert_no_debug {
    ($($t:ty),+ $(,)?) => {
        $( let _ = <$t as $crate::testing::AmbiguousIfDebug<_>>::no_debug; )+
    };
}

/// A 640×480 face photograph (`selfie`, JPEG) zoomed by `zoom` about the face, as the 320×240
/// JPEG liveness frame the phone uploads: a run of `zoom` growing 3% a frame is a face coming
/// closer. `corner`, when given, replaces the top-left pixel, so frames of the same zoom differ
/// in their bytes as a camera's always do. Shared by the service's unit tests, integration tests
/// and load benchmark.
pub fn face_closer_jpeg(selfie: &[u8], zoom: f32, corner: Option<[u8; 3]>) -> Vec<u8> {
    let source = image::load_from_memory(selfie).expect("a decodable fixture").to_rgb8();
    let (w, h) = (640.0 / zoom, 480.0 / zoom);
    let crop = image::imageops::crop_imm(&source, (320.0 - w / 2.0) as u32, (250.0 - h / 2.0).max(0.0) as u32, w as u32, h as u32);
    liveness_jpeg(&crop.to_image(), corner)
}

/// `picture` as the 320×240 JPEG liveness frame the phone uploads (`corner` as in
/// [`face_closer_jpeg`]): with `simulated_person::PosedHead`, the frames of a person doing the actions asked.
pub fn liveness_jpeg(picture: &image::RgbImage, corner: Option<[u8; 3]>) -> Vec<u8> {
    let mut small = image::imageops::resize(picture, 320, 240, image::imageops::FilterType::Triangle);
    if let Some(pixel) = corner {
        small.put_pixel(0, 0, image::Rgb(pixel));
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&small).expect("encodable");
    out
}

/// The selfie fixture's head (`tests/fixtures/face_selfie_640x480.jpg`), posed in 3D
/// (`simulated_person::PosedHead`): measured once per process, since unoptimised test builds take
/// a while to, and every picture drawn of it is kept.
pub fn selfie_head() -> &'static crate::simulated_person::PosedHead {
    static HEAD: std::sync::OnceLock<crate::simulated_person::PosedHead> = std::sync::OnceLock::new();
    HEAD.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/face_selfie_640x480.jpg");
        let photo = image::open(path).expect("the selfie fixture decodes").to_rgb8();
        crate::simulated_person::PosedHead::new(photo).expect("the selfie shows one face")
    })
}

/// The liveness frames (320×240 JPEG, as the phone uploads them) of the selfie's head doing
/// `actions` (`simulated_person::poses_doing`, one frame every 100 ms), for tests that need a
/// liveness check passed. A camera never takes the same bytes twice and the service refuses
/// frames it judged before, so each frame carries `first_number` + its index along its top
/// (`simulated_person::mark_frame`: a corner pixel alone can vanish in the JPEG's
/// quantisation, and the same pose recurs between actions).
pub fn liveness_frames_doing(actions: &[crate::selfie::face_model::Action], first_number: u64) -> Vec<Vec<u8>> {
    let head = selfie_head();
    crate::simulated_person::poses_doing(actions)
        .into_iter()
        .zip(first_number..)
        .map(|(pose, number)| {
            let mut picture = head.draw(pose);
            crate::simulated_person::mark_frame(&mut picture, number);
            liveness_jpeg(&picture, None)
        })
        .collect()
}

/// Decodes RFC 4648 base32 without padding (an otpauth URI's secret), as an authenticator app
/// does; characters outside the alphabet are skipped.
pub fn base32_decode(text: &str) -> Vec<u8> {
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u64, 0);
    for value in text.bytes().filter_map(|c| b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".iter().position(|a| *a == c)) {
        buffer = (buffer << 5) | value as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// `account` with the authenticator app registered (id `m-app`) at `registered_at`.
pub fn with_authenticator_app(
    mut account: crate::flow::account_security::AccountSecurity,
    registered_at: crate::flow::Timestamp,
) -> crate::flow::account_security::AccountSecurity {
    account.methods.push(crate::flow::account_security::RegisteredMethod {
        id: "m-app".into(),
        kind: crate::flow::account_security::SecurityMethodKind::AuthenticatorApp,
        phone_number: None,
        registered_at,
    });
    account
}

/// The account's security as the reference service reports it right after a sign-in with a
/// multi-use TAP at `signed_in_at` valid for 30 minutes: nothing registered yet, every method
/// offered, four questions of eight required, no PIN required. Tests change what they need.
pub fn fresh_account_security(signed_in_at: crate::flow::Timestamp) -> crate::flow::account_security::AccountSecurity {
    use crate::flow::account_security::{AccountSecurity, SecurityMethodKind, SecurityPolicy, SecurityQuestion};
    let questions = (1..=8)
        .map(|i| SecurityQuestion { id: format!("q{i}"), text_en: format!("Question {i}?"), text_zh: format!("问题 {i}？") })
        .collect();
    AccountSecurity {
        signed_in_at,
        session_expires_at: signed_in_at + 30 * crate::flow::clock::MINUTE_MS,
        registration_deadline: None,
        password_set: false,
        methods: Vec::new(),
        pin_set: false,
        security_questions_set: false,
        complete: false,
        policy: SecurityPolicy {
            methods: vec![SecurityMethodKind::AuthenticatorApp, SecurityMethodKind::TextMessage, SecurityMethodKind::VoiceCall],
            pin_required: false,
            pin_min_length: 4,
            pin_max_length: 8,
            questions_required: true,
            question_count: 4,
            questions,
        },
    }
}
