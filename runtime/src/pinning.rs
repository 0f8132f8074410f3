//! Optional public-key pinning of the Identity Pass service.
//!
//! A pin is the SHA-256 of the server certificate's SubjectPublicKeyInfo (the `pin-sha256` of
//! RFC 7469), so it survives certificate renewal with the same key. Pinning is *added* to normal
//! certificate validation, never a replacement for it: a pinned connection must first be valid
//! for its host name and chain.

use std::sync::Arc;

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// The SHA-256 digest of a SubjectPublicKeyInfo.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpkiPin([u8; 32]);

impl std::fmt::Debug for SpkiPin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpkiPin({})", self.to_base64())
    }
}

/// Why a pin could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Not base64 of 32 bytes.
    #[error("a pin is the base64 of a 32-byte SHA-256 digest")]
    Malformed,
    /// The certificate's DER could not be walked to its public key.
    #[error("the certificate is not well-formed DER")]
    BadCertificate,
}

impl SpkiPin {
    /// Parses the base64 form (`pin-sha256` value).
    pub fn from_base64(value: &str) -> Result<Self, PinError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(value.trim()).map_err(|_| PinError::Malformed)?;
        let digest: [u8; 32] = bytes.try_into().map_err(|_| PinError::Malformed)?;
        Ok(Self(digest))
    }

    /// The base64 form.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// The pin of a DER-encoded SubjectPublicKeyInfo.
    pub fn of_spki(spki_der: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, spki_der);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Self(bytes)
    }

    /// The pin of a DER-encoded X.509 certificate's public key.
    pub fn of_certificate(cert_der: &[u8]) -> Result<Self, PinError> {
        Ok(Self::of_spki(subject_public_key_info(cert_der).ok_or(PinError::BadCertificate)?))
    }
}

/// One DER element: its tag, its contents and the whole encoding (header included).
struct Element<'a> {
    tag: u8,
    contents: &'a [u8],
    whole: &'a [u8],
}

fn read_element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let tag = *input.first()?;
    let first_len = *input.get(1)?;
    let (len, header) = if first_len < 0x80 {
        (usize::from(first_len), 2)
    } else {
        let count = usize::from(first_len & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let bytes = input.get(2..2 + count)?;
        (bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)), 2 + count)
    };
    let end = header.checked_add(len)?;
    let whole = input.get(..end)?;
    Some((Element { tag, contents: &whole[header..], whole }, &input[end..]))
}

/// Walks Certificate → tbsCertificate → subjectPublicKeyInfo (RFC 5280 §4.1).
fn subject_public_key_info(cert_der: &[u8]) -> Option<&[u8]> {
    const SEQUENCE: u8 = 0x30;
    let (certificate, _) = read_element(cert_der)?;
    let (tbs, _) = read_element(certificate.contents)?;
    if certificate.tag != SEQUENCE || tbs.tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs.contents;
    let (first, after_first) = read_element(rest)?;
    // The version is an explicit [0] tag and optional (absent means v1).
    if first.tag == 0xa0 {
        rest = after_first;
    }
    // serialNumber, signature, issuer, validity, subject, then the key.
    for _ in 0..5 {
        rest = read_element(rest)?.1;
    }
    let (spki, _) = read_element(rest)?;
    (spki.tag == SEQUENCE).then_some(spki.whole)
}

/// Normal WebPKI validation, then the leaf's key must match one of the pins.
#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    pub(crate) inner: Arc<dyn ServerCertVerifier>,
    pub(crate) pins: Vec<SpkiPin>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)?;
        let pin = SpkiPin::of_certificate(end_entity.as_ref())
            .map_err(|_| rustls::Error::General("server certificate is not well-formed".into()))?;
        if self.pins.contains(&pin) {
            Ok(verified)
        } else {
            tracing::warn!(presented = %pin.to_base64(), "service public key does not match the pin");
            Err(rustls::Error::General("server public key does not match the pinned key".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_taken_over_the_certificates_public_key() {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["service.test".to_owned()]).expect("params").self_signed(&key).expect("cert");
        let from_cert = SpkiPin::of_certificate(cert.der()).expect("walk");
        assert_eq!(from_cert, SpkiPin::of_spki(&rcgen::PublicKeyData::subject_public_key_info(&key)));
        assert_eq!(SpkiPin::from_base64(&from_cert.to_base64()), Ok(from_cert));
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert_eq!(SpkiPin::from_base64("not base64!"), Err(PinError::Malformed));
        assert_eq!(SpkiPin::from_base64("AAAA"), Err(PinError::Malformed));
        for junk in [&b""[..], b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x30\x01", b"\x02\x01\x00"] {
            assert_eq!(SpkiPin::of_certificate(junk), Err(PinError::BadCertificate), "{junk:?}");
        }
    }
}
