//! The Verified ID as kept in secure storage (the JWS is a credential: never anywhere else).
//!
//! Its format is read back by later app versions, so it is pinned by a committed fixture
//! (`tests/fixtures/persisted/verified-id-v1.json`).

use identity_pass_core::SecretString;

use crate::service_client::VerifiedIdCredential;

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredVerifiedId {
    jws: String,
    issued_at: i64,
    expires_at: i64,
}

/// The bytes to store. The plain JWS lives only in this short-lived, zeroized buffer.
pub(crate) fn to_bytes(vid: &VerifiedIdCredential) -> Result<zeroize::Zeroizing<Vec<u8>>, serde_json::Error> {
    let stored = StoredVerifiedId { jws: vid.jws.expose_secret().to_owned(), issued_at: vid.issued_at, expires_at: vid.expires_at };
    let bytes = serde_json::to_vec(&stored).map(zeroize::Zeroizing::new);
    drop(zeroize::Zeroizing::new(stored.jws));
    bytes
}

/// The stored credential; `None` for anything unreadable (the next approval issues another).
pub(crate) fn from_bytes(bytes: &[u8]) -> Option<VerifiedIdCredential> {
    let stored: StoredVerifiedId = serde_json::from_slice(bytes).ok()?;
    Some(VerifiedIdCredential { jws: SecretString::new(stored.jws), issued_at: stored.issued_at, expires_at: stored.expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../tests/fixtures/persisted/verified-id-v1.json");

    #[test]
    fn the_committed_format_still_loads_and_round_trips() {
        let loaded = from_bytes(FIXTURE.trim_end().as_bytes()).expect("the stored Verified ID of an installed app loads");
        assert_eq!(loaded.jws.expose_secret(), "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJmaXh0dXJlIn0.c2lnbmF0dXJl");
        assert_eq!((loaded.issued_at, loaded.expires_at), (1_795_219_200_000, 1_797_811_200_000));
        assert_eq!(to_bytes(&loaded).expect("encodes").as_slice(), FIXTURE.trim_end().as_bytes());
        assert!(from_bytes(b"{\"jws\":1}").is_none());
    }
}
