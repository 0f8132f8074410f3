//! Random identifiers and secrets, and their hashing. Secrets are stored only as SHA-256 digests
//! and travel inside [`Redacted`], whose `Debug` never shows the value.
//!
//! A leaf: it imports nothing of this crate, so every layer may use it.

use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};

/// The operating system gave no randomness. Never the caller's fault: the service answers 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no randomness")]
pub struct RandomnessUnavailable;

/// A secret string whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Redacted(String);

impl Redacted {
    /// Wraps a secret.
    pub fn new(value: String) -> Self {
        Self(value)
    }
    /// The secret itself, for the one place that must send or hash it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redacted(***)")
    }
}

/// Fills `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomnessUnavailable> {
    let mut bytes = [0u8; N];
    SystemRandom::new().fill(&mut bytes).map_err(|_| RandomnessUnavailable)?;
    Ok(bytes)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random identifier with a readable prefix, e.g. `req_3f9a…` (128 bits).
pub fn new_id(prefix: &str) -> Result<String, RandomnessUnavailable> {
    Ok(format!("{prefix}_{}", hex(&random_bytes::<16>()?)))
}

/// SHA-256 of arbitrary bytes.
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    digest(&SHA256, bytes).as_ref().to_vec()
}

/// A random string of `length` characters from `alphabet` (rejection sampling, so unbiased).
pub fn random_string(alphabet: &[u8], length: usize) -> Result<Redacted, RandomnessUnavailable> {
    let limit = 256 - (256 % alphabet.len().max(1));
    let mut out = String::with_capacity(length);
    while out.len() < length {
        for byte in random_bytes::<64>()? {
            if (byte as usize) < limit && out.len() < length {
                out.push(char::from(alphabet[byte as usize % alphabet.len()]));
            }
        }
    }
    Ok(Redacted(out))
}

/// A password's argon2id hash in PHC form (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), with a
/// fresh 128-bit salt. The parameters are argon2's defaults, OWASP's recommended minimum; they
/// travel inside the PHC string, so raising them later still verifies the old hashes.
pub fn hash_password(password: &str) -> Result<String, RandomnessUnavailable> {
    use argon2::PasswordHasher;
    let salt = argon2::password_hash::SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| RandomnessUnavailable)?;
    // Hashing with valid parameters and a valid salt only fails on an output length argon2
    // rejects, which the defaults never ask for.
    argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|_| RandomnessUnavailable)
}

/// Whether `password` matches `phc`, a hash from [`hash_password`]. A malformed stored hash
/// matches nothing.
pub fn verify_password(phc: &str, password: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::password_hash::PasswordHash::new(phc)
        .is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Equality of two secrets, compared as SHA-256 digests (as every secret here is): where the
/// digests differ says nothing about where the secrets do, so timing reveals nothing useful.
pub fn secrets_equal(a: &[u8], b: &[u8]) -> bool {
    sha256(a) == sha256(b)
}

/// HMAC-SHA1 of `message` under `key`: only for TOTP (RFC 6238), whose authenticator apps
/// compute SHA-1 codes; HMAC-SHA1 is not broken the way SHA-1 collisions are.
pub fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    ring::hmac::sign(&key, message).as_ref().to_vec()
}

/// The data key that seals secrets the service must read back (TOTP secrets), with
/// AES-256-GCM. It is kept outside the database (a file beside it, or configuration), so a copy
/// of the database alone does not reveal them. `Debug` is redacted.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

/// A sealed value did not open: wrong key, or altered bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("sealed data does not open with this key")]
pub struct SealBroken;

impl DataKey {
    /// The key of these 32 bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh random key.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        Ok(Self(random_bytes::<32>()?))
    }

    /// The key's bytes, for the one place that writes the key file.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    fn key(&self) -> Result<ring::aead::LessSafeKey, SealBroken> {
        ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &self.0).map(ring::aead::LessSafeKey::new).map_err(|_| SealBroken)
    }

    /// `plaintext` sealed: a random 96-bit nonce, then the ciphertext and tag. `context` (say,
    /// the account) is authenticated too, so a sealed value moved to another row does not open.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, RandomnessUnavailable> {
        let nonce = random_bytes::<12>()?;
        let mut out = plaintext.to_vec();
        let key = self.key().map_err(|_| RandomnessUnavailable)?;
        key.seal_in_place_append_tag(ring::aead::Nonce::assume_unique_for_key(nonce), ring::aead::Aad::from(context), &mut out)
            .map_err(|_| RandomnessUnavailable)?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&out);
        Ok(sealed)
    }

    /// A keyed digest (HMAC-SHA256 under a key derived from this one) of a short one-time code:
    /// a plain SHA-256 of a 6-digit code is reversed by trying a million codes, but not
    /// without the data key, which is not in the database.
    pub fn mac(&self, message: &[u8]) -> Vec<u8> {
        let mut derivation = b"identity-pass one-time code mac\0".to_vec();
        derivation.extend_from_slice(&self.0);
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &sha256(&derivation));
        ring::hmac::sign(&key, message).as_ref().to_vec()
    }

    /// Opens what [`DataKey::seal`] sealed with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, SealBroken> {
        if sealed.len() < 12 {
            return Err(SealBroken);
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        let nonce = ring::aead::Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealBroken)?;
        let mut buffer = ciphertext.to_vec();
        let plain = self.key()?.open_in_place(nonce, ring::aead::Aad::from(context), &mut buffer).map_err(|_| SealBroken)?;
        Ok(plain.to_vec())
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_a_fresh_salt() {
        let one = hash_password("correct horse battery").expect("hash");
        let two = hash_password("correct horse battery").expect("hash");
        assert!(one.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{one}");
        assert_ne!(one, two, "a fresh salt each time");
        assert!(!one.contains("correct"));
        assert!(verify_password(&one, "correct horse battery"));
        assert!(verify_password(&two, "correct horse battery"));
        assert!(!verify_password(&one, "correct horse batterY"));
        assert!(!verify_password("not a hash", "correct horse battery"));
    }

    #[test]
    fn random_strings_use_the_alphabet_and_length() {
        let code = random_string(b"AB", 48).expect("random");
        assert_eq!(code.expose().len(), 48);
        assert!(code.expose().chars().all(|c| c == 'A' || c == 'B'));
        assert_eq!(format!("{code:?}"), "Redacted(***)");
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_context() {
        let key = DataKey::generate().expect("key");
        let sealed = key.seal(b"totp secret", b"ada@contoso.example").expect("sealed");
        assert!(!sealed.windows(11).any(|w| w == b"totp secret"));
        assert_eq!(key.open(&sealed, b"ada@contoso.example").expect("opens"), b"totp secret");
        assert_eq!(key.open(&sealed, b"bob@contoso.example"), Err(SealBroken));
        assert_eq!(DataKey::generate().expect("key").open(&sealed, b"ada@contoso.example"), Err(SealBroken));
        assert_eq!(format!("{key:?}"), "DataKey(***)");
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        assert_eq!(hex(&hmac_sha1(&[0x0b; 20], b"Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
    }

    #[test]
    fn ids_are_prefixed_and_distinct() {
        let a = new_id("req").expect("id");
        let b = new_id("req").expect("id");
        assert!(a.starts_with("req_") && a.len() == 36);
        assert_ne!(a, b);
    }
}
