//! A Verified ID bound to the phone that earned it.
//!
//! Each installation has a **device key**: ECDSA P-256, made on the phone and kept where the
//! platform keeps keys it never lets out (Android Keystore, the iOS Secure Enclave; a software
//! key on the desktop). The service learns its public half when the device registers, with a
//! proof that the device holds it ([`registration`]), and writes it into every Verified ID it
//! issues to that device as the `cnf` claim (RFC 7800). The credential alone is then worth
//! nothing: presenting it means signing a **key-binding JWT** over a fresh, single-use nonce the
//! service issued a moment before ([`key_binding`], shaped like SD-JWT's KB-JWT). A copy on
//! another phone cannot sign; a recorded presentation names a nonce already spent.
//!
//! P-256 because it is the one curve the Secure Enclave has. Both platforms sign in DER (X9.62)
//! and hand out the public key in their own encoding, so this module takes what they give
//! ([`DevicePublicKey::from_platform`], [`fixed_signature`]) and the shells convert nothing.
//!
//! The phone builds with these functions and the service checks with them: one format, one
//! place (the same arrangement as the partner's webhook signature).

pub mod key_binding;
mod public_key;
pub mod registration;
mod signature;
mod software_key;

pub use public_key::DevicePublicKey;
pub use signature::fixed_signature;
pub use software_key::SoftwareDeviceKey;

/// Why a key, a signature or a presentation was not accepted. Carries no key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeviceBindingError {
    /// Not a P-256 public key in an encoding we read (SEC1 uncompressed, X.509 SPKI, EC JWK).
    #[error("not a P-256 public key")]
    PublicKeyInvalid,
    /// Not an ECDSA P-256 signature (DER, or 64 bytes r‖s).
    #[error("not an ECDSA P-256 signature")]
    SignatureMalformed,
    /// The signature does not verify with the key.
    #[error("the signature does not verify")]
    SignatureInvalid,
    /// Not a key-binding JWT of ours (shape, `alg`, `typ`, claims).
    #[error("not a key-binding JWT")]
    KeyBindingMalformed,
    /// The key-binding JWT is for another credential (`sd_hash`).
    #[error("the key binding is for another credential")]
    KeyBindingOtherCredential,
    /// A software key could not be made or read (no randomness, damaged PKCS#8).
    #[error("the software key is unusable")]
    SoftwareKeyUnusable,
}
