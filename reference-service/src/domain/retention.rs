//! How long the service keeps what it must not keep for ever (seed 000, step 8): selfies 24 h
//! after upload, liveness captures 48 h after capture, stored idempotent answers 24 h. The
//! results (a selfie was uploaded, liveness passed) stay with the request.

/// Selfies are deleted this long after upload.
pub const SELFIE_RETENTION_SECONDS: i64 = 24 * 3600;
/// Liveness captures are deleted this long after capture.
pub const LIVENESS_RETENTION_SECONDS: i64 = 48 * 3600;
/// Stored idempotent answers are deleted this long after the first call.
pub const IDEMPOTENCY_RETENTION_SECONDS: i64 = 24 * 3600;
