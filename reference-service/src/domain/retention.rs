//! How long the service keeps what it must not keep for ever (seed 000, step 8): selfies 24 h
//! after upload, liveness captures 48 h after capture, stored idempotent answers 24 h. The
//! results (a selfie was uploaded, liveness passed) stay with the request. Bookkeeping that only
//! guards against replays is dropped once a replay is refused on other grounds: the partner's
//! event ids after a day (its signatures are good for 300 s), presentation nonces once expired.

/// Selfies are deleted this long after upload.
pub const SELFIE_RETENTION_SECONDS: i64 = 24 * 3600;
/// Liveness captures are deleted this long after capture.
pub const LIVENESS_RETENTION_SECONDS: i64 = 48 * 3600;
/// Stored idempotent answers are deleted this long after the first call.
pub const IDEMPOTENCY_RETENTION_SECONDS: i64 = 24 * 3600;
/// The partner's callback event ids are kept this long. A replay is refused by its signature's
/// time (±300 s) long before; the ids only need to outlive that window.
pub const PARTNER_EVENT_RETENTION_SECONDS: i64 = 24 * 3600;
