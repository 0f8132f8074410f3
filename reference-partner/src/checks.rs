//! The checks this partner can really do here, and its verdict.
//!
//! Input problems the user can fix on the page (a malformed phone number, terms not accepted,
//! a missing image) are answered at once and do not end the session. Image findings end it
//! with a verdict, as a partner's would: `verified` when the document photo looks like an ID
//! document with one portrait and the selfie shows one face close enough to see, `rejected`
//! with the first finding otherwise.
//!
//! A document photo is accepted when it is landscape with the proportions of an ID card or a
//! passport data page (ID-1 is 85.6 × 54 mm, ratio 1.59; the passport page 1.42), and shows
//! exactly one face whose width is that of a printed portrait: a selfie sent as the document
//! shows a face far wider than a card's portrait. Faces are found with the core's face engine.

use identity_pass_core::selfie::FaceBox;
use identity_pass_core::selfie::face_model::{EngineLimits, FaceEngine, Rotation};
use identity_pass_core::selfie::still::decode_jpeg;

/// What the user typed and uploaded on the page.
pub struct Submission<'a> {
    /// The mobile number, E.164 (`+14255550123`).
    pub phone_number: &'a str,
    /// The partner's terms were accepted.
    pub terms_accepted: bool,
    /// The ID document photo (JPEG).
    pub document_jpeg: &'a [u8],
    /// The selfie (JPEG).
    pub selfie_jpeg: &'a [u8],
}

/// Something the user must fix on the page; the session stays open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputProblem {
    /// Not an E.164 number.
    PhoneNumberInvalid,
    /// The terms were not accepted.
    TermsNotAccepted,
    /// An image is missing.
    ImageMissing,
}

impl InputProblem {
    /// The stable code the page shows.
    pub fn code(self) -> &'static str {
        match self {
            InputProblem::PhoneNumberInvalid => "PHONE_NUMBER_INVALID",
            InputProblem::TermsNotAccepted => "TERMS_NOT_ACCEPTED",
            InputProblem::ImageMissing => "IMAGE_MISSING",
        }
    }
}

/// The partner's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed.
    Verified,
    /// The first check that failed.
    Rejected(RejectReason),
}

/// Why a check failed (the reason codes the partner sends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectReason {
    /// The document photo is not a readable JPEG of a sensible size.
    DocumentUnreadable,
    /// The photo does not have an ID document's shape.
    DocumentNotDetected,
    /// No portrait, several, or one the size of a selfie.
    DocumentPortraitMissing,
    /// The selfie is not a readable JPEG of a sensible size.
    SelfieUnreadable,
    /// No face, or one too small to compare.
    SelfieNoFace,
    /// More than one face.
    SelfieMultipleFaces,
}

impl RejectReason {
    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::DocumentUnreadable => "DOCUMENT_UNREADABLE",
            RejectReason::DocumentNotDetected => "DOCUMENT_NOT_DETECTED",
            RejectReason::DocumentPortraitMissing => "DOCUMENT_PORTRAIT_MISSING",
            RejectReason::SelfieUnreadable => "SELFIE_UNREADABLE",
            RejectReason::SelfieNoFace => "SELFIE_NO_FACE",
            RejectReason::SelfieMultipleFaces => "SELFIE_MULTIPLE_FACES",
        }
    }
}

/// Images outside these bounds are refused before decoding (a header can declare any size).
const MIN_SIDE: u32 = 240;
const MAX_SIDE: u32 = 4096;
/// Document proportions accepted (passport page 1.42 to ID-1 1.59, with room for framing).
const DOCUMENT_RATIO: std::ops::RangeInclusive<f32> = 1.30..=1.80;
/// A card's portrait is about a third of its width and the face inside it two thirds of that
/// (the fixture card's face measures 0.20 of the card); a face wider than this is a selfie held
/// up as the document (a phone selfie's face is 30–50% of the frame; the fixture's 0.35).
const MAX_PORTRAIT_FACE_WIDTH: f32 = 0.28;
/// A selfie's face must be at least this wide to be compared with anything: the width under
/// which the app itself says "move closer" (`EngineLimits::default().min_face_width`), so any
/// selfie the app captured passes, and a card's portrait sent as the selfie does not.
const MIN_SELFIE_FACE_WIDTH: f32 = 0.25;

/// Checks what the user typed.
pub fn check_input(submission: &Submission<'_>) -> Result<(), InputProblem> {
    if !is_e164(submission.phone_number) {
        return Err(InputProblem::PhoneNumberInvalid);
    }
    if !submission.terms_accepted {
        return Err(InputProblem::TermsNotAccepted);
    }
    if submission.document_jpeg.is_empty() || submission.selfie_jpeg.is_empty() {
        return Err(InputProblem::ImageMissing);
    }
    Ok(())
}

/// `+` then 8 to 15 digits, the first not 0.
pub fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else { return false };
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// The verdict on the two images.
pub fn verdict(submission: &Submission<'_>) -> Verdict {
    match check_images(submission) {
        Ok(()) => Verdict::Verified,
        Err(reason) => Verdict::Rejected(reason),
    }
}

fn check_images(submission: &Submission<'_>) -> Result<(), RejectReason> {
    let (document, width, height) = faces_in(submission.document_jpeg).ok_or(RejectReason::DocumentUnreadable)?;
    let ratio = width as f32 / height as f32;
    if !DOCUMENT_RATIO.contains(&ratio) {
        return Err(RejectReason::DocumentNotDetected);
    }
    match document.as_slice() {
        [portrait] if portrait.width <= MAX_PORTRAIT_FACE_WIDTH => {}
        _ => return Err(RejectReason::DocumentPortraitMissing),
    }
    let (selfie, _, _) = faces_in(submission.selfie_jpeg).ok_or(RejectReason::SelfieUnreadable)?;
    match selfie.as_slice() {
        [face] if face.width >= MIN_SELFIE_FACE_WIDTH => Ok(()),
        [] | [_] => Err(RejectReason::SelfieNoFace),
        _ => Err(RejectReason::SelfieMultipleFaces),
    }
}

/// The faces in a JPEG and its size, or `None` when it is not a JPEG of a sensible size.
fn faces_in(jpeg: &[u8]) -> Option<(Vec<FaceBox>, u32, u32)> {
    let still = decode_jpeg(jpeg, MIN_SIDE..=MAX_SIDE).ok()?;
    let mut engine = FaceEngine::new(EngineLimits::default()).ok()?;
    let faces = engine.assess(&still.frame().ok()?, Rotation::Upright).face_boxes();
    Some((faces, still.width(), still.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../core/tests/fixtures/{name}.jpg", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn submission<'a>(document: &'a [u8], selfie: &'a [u8]) -> Submission<'a> {
        Submission { phone_number: "+14255550123", terms_accepted: true, document_jpeg: document, selfie_jpeg: selfie }
    }

    #[test]
    fn the_selfie_limit_is_the_apps_own() {
        assert_eq!(MIN_SELFIE_FACE_WIDTH, EngineLimits::default().min_face_width);
    }

    #[test]
    fn phone_numbers_must_be_e164() {
        for good in ["+14255550123", "+8613800138000", "+447911123456"] {
            assert!(is_e164(good), "{good}");
        }
        for bad in ["14255550123", "+0425555012", "+1425", "+1 425 555 0123", "+1234567890123456", ""] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn input_problems_come_before_any_image_work() {
        let (document, selfie) = (fixture("id_document_856x540"), fixture("face_selfie_640x480"));
        let mut s = submission(&document, &selfie);
        assert_eq!(check_input(&s), Ok(()));
        s.phone_number = "425-555-0123";
        assert_eq!(check_input(&s), Err(InputProblem::PhoneNumberInvalid));
        s.phone_number = "+14255550123";
        s.terms_accepted = false;
        assert_eq!(check_input(&s), Err(InputProblem::TermsNotAccepted));
        s.terms_accepted = true;
        s.selfie_jpeg = &[];
        assert_eq!(check_input(&s), Err(InputProblem::ImageMissing));
    }

    #[test]
    fn a_document_with_one_portrait_and_a_selfie_with_one_face_are_verified() {
        let (document, selfie) = (fixture("id_document_856x540"), fixture("face_selfie_640x480"));
        assert_eq!(verdict(&submission(&document, &selfie)), Verdict::Verified);
    }

    #[test]
    fn each_image_finding_rejects_with_its_reason() {
        let (document, selfie) = (fixture("id_document_856x540"), fixture("face_selfie_640x480"));
        let square_selfie = fixture("face_portrait_512x512");
        let reject = |d: &[u8], s: &[u8]| verdict(&submission(d, s));
        assert_eq!(reject(b"not a jpeg", &selfie), Verdict::Rejected(RejectReason::DocumentUnreadable));
        assert_eq!(reject(&square_selfie, &selfie), Verdict::Rejected(RejectReason::DocumentNotDetected), "a square photo is no card");
        assert_eq!(
            reject(&selfie, &selfie),
            Verdict::Rejected(RejectReason::DocumentPortraitMissing),
            "a selfie held up as the document: the face is far wider than a portrait"
        );
        assert_eq!(reject(&document, &fixture("no_face_coffee_640x480")), Verdict::Rejected(RejectReason::SelfieNoFace));
        assert_eq!(reject(&document, &fixture("two_faces_640x480")), Verdict::Rejected(RejectReason::SelfieMultipleFaces));
        assert_eq!(
            reject(&document, &document),
            Verdict::Rejected(RejectReason::SelfieNoFace),
            "the card's portrait is too small for a selfie"
        );
    }
}
