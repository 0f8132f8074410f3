//! A device key in software: the desktop's (it has no Secure Enclave to ask) and the tests'.
//! It signs in DER, as Android Keystore and the Secure Enclave do, so everything downstream of
//! a platform key runs the same way over it. The caller keeps its PKCS#8 bytes in secure
//! storage; they are the key, so they are zeroized when dropped and never printed.

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use zeroize::Zeroizing;

use super::{DeviceBindingError, DevicePublicKey};

/// An ECDSA P-256 key held in memory.
pub struct SoftwareDeviceKey {
    pair: EcdsaKeyPair,
    public: DevicePublicKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for SoftwareDeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareDeviceKey").field("public", &self.public_key()).finish_non_exhaustive()
    }
}

impl SoftwareDeviceKey {
    /// New PKCS#8 bytes for a new key, to keep in secure storage.
    pub fn generate_pkcs8() -> Result<Zeroizing<Vec<u8>>, DeviceBindingError> {
        let rng = SystemRandom::new();
        let document =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).map_err(|_| DeviceBindingError::SoftwareKeyUnusable)?;
        Ok(Zeroizing::new(document.as_ref().to_vec()))
    }

    /// The key in kept PKCS#8 bytes.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, DeviceBindingError> {
        let rng = SystemRandom::new();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8, &rng).map_err(|_| DeviceBindingError::SoftwareKeyUnusable)?;
        let public = DevicePublicKey::from_platform(pair.public_key().as_ref()).map_err(|_| DeviceBindingError::SoftwareKeyUnusable)?;
        Ok(Self { pair, public, rng })
    }

    /// A new key that lives only as long as this value (tests).
    pub fn generate() -> Result<Self, DeviceBindingError> {
        Self::from_pkcs8(&Self::generate_pkcs8()?)
    }

    /// Its public half.
    pub fn public_key(&self) -> DevicePublicKey {
        self.public.clone()
    }

    /// ECDSA P-256 / SHA-256 over `message`, DER-encoded like the platforms'.
    pub fn sign_der(&self, message: &[u8]) -> Result<Vec<u8>, DeviceBindingError> {
        Ok(self.pair.sign(&self.rng, message).map_err(|_| DeviceBindingError::SoftwareKeyUnusable)?.as_ref().to_vec())
    }
}
