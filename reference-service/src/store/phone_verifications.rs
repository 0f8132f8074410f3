//! The `phone_verifications` table: a text message's or voice call's verification of a number,
//! with a keyed digest of the texted code (never the code itself).

use rusqlite::{OptionalExtension, Row, params};

use crate::domain::account_security::phone::Delivery;
use crate::store::{Connection, StoreResult};

/// A verification as kept.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneVerification {
    /// Its id.
    pub id: String,
    /// The account.
    pub upn: String,
    /// The device that asked.
    pub device_id: String,
    /// Text message or voice call.
    pub delivery: Delivery,
    /// E.164.
    pub phone_number: String,
    /// Voice: extension digits.
    pub extension: Option<String>,
    /// Voice: backup E.164 number.
    pub backup_phone_number: Option<String>,
    /// Text message: the keyed digest of the current code.
    pub code_mac: Option<Vec<u8>>,
    /// Voice: the current call's id.
    pub call_id: Option<String>,
    /// Sends so far.
    pub sends: u32,
    /// When the last send went out.
    pub last_sent_at: i64,
    /// When the current code (or call) stops counting.
    pub expires_at: i64,
    /// Wrong codes or PINs so far.
    pub failures: u32,
    /// `pending`, `verified` or `failed`.
    pub status: String,
}

// The code digest is a secret's digest; nothing in a log needs it.
impl std::fmt::Debug for PhoneVerification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneVerification").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, upn, device_id, delivery, phone_number, extension, backup_phone_number, code_mac, call_id, sends, \
                       last_sent_at, expires_at, failures, status";

fn from_row(row: &Row<'_>) -> rusqlite::Result<PhoneVerification> {
    let delivery: String = row.get(3)?;
    Ok(PhoneVerification {
        id: row.get(0)?,
        upn: row.get(1)?,
        device_id: row.get(2)?,
        delivery: Delivery::parse(&delivery).unwrap_or(Delivery::Sms),
        phone_number: row.get(4)?,
        extension: row.get(5)?,
        backup_phone_number: row.get(6)?,
        code_mac: row.get(7)?,
        call_id: row.get(8)?,
        sends: row.get(9)?,
        last_sent_at: row.get(10)?,
        expires_at: row.get(11)?,
        failures: row.get(12)?,
        status: row.get(13)?,
    })
}

/// Stores a new verification.
pub fn insert(connection: &Connection, v: &PhoneVerification) -> StoreResult<()> {
    connection.execute(
        &format!("INSERT INTO phone_verifications ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
        params![
            v.id,
            v.upn,
            v.device_id,
            v.delivery.as_str(),
            v.phone_number,
            v.extension,
            v.backup_phone_number,
            v.code_mac,
            v.call_id,
            v.sends,
            v.last_sent_at,
            v.expires_at,
            v.failures,
            v.status
        ],
    )?;
    Ok(())
}

/// `upn`'s verification `id`.
pub fn find(connection: &Connection, upn: &str, id: &str) -> StoreResult<Option<PhoneVerification>> {
    Ok(connection
        .query_row(&format!("SELECT {COLUMNS} FROM phone_verifications WHERE id = ?1 AND upn = ?2"), params![id, upn], from_row)
        .optional()?)
}

/// The verification whose current call is `call_id`.
pub fn find_by_call(connection: &Connection, call_id: &str) -> StoreResult<Option<PhoneVerification>> {
    Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM phone_verifications WHERE call_id = ?1"), [call_id], from_row).optional()?)
}

/// Records another send: its code digest or call id, its time and expiry; pending again.
pub fn resent(
    connection: &Connection,
    id: &str,
    code_mac: Option<&[u8]>,
    call_id: Option<&str>,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    connection.execute(
        "UPDATE phone_verifications SET code_mac = ?1, call_id = ?2, sends = sends + 1, last_sent_at = ?3, expires_at = ?4,
                status = CASE WHEN status = 'verified' THEN status ELSE 'pending' END
         WHERE id = ?5",
        params![code_mac, call_id, now, expires_at, id],
    )?;
    Ok(())
}

/// Counts a wrong code or PIN, with the status it leaves.
pub fn count_failure(connection: &Connection, id: &str, status: &str) -> StoreResult<()> {
    connection.execute("UPDATE phone_verifications SET failures = failures + 1, status = ?1 WHERE id = ?2", params![status, id])?;
    Ok(())
}

/// Marks the verification verified.
pub fn mark_verified(connection: &Connection, id: &str) -> StoreResult<()> {
    connection.execute("UPDATE phone_verifications SET status = 'verified' WHERE id = ?1", [id])?;
    Ok(())
}
