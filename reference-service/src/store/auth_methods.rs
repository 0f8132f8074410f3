//! The `auth_methods` table: the account's registered strong methods. An authenticator app's
//! TOTP secret is kept sealed with the data key (never in clear), with the last step accepted
//! so a code is never accepted twice.

use rusqlite::params;

use crate::domain::account_security::{Method, MethodKind};
use crate::store::{Connection, StoreResult};

/// `upn`'s methods, oldest first.
pub fn list(connection: &Connection, upn: &str) -> StoreResult<Vec<Method>> {
    let mut query = connection.prepare_cached(
        "SELECT id, kind, phone_number, extension, backup_phone_number, registered_at FROM auth_methods
         WHERE upn = ?1 ORDER BY registered_at, rowid",
    )?;
    let rows = query.query_map([upn], |row| {
        let kind: String = row.get(1)?;
        Ok(Method {
            id: row.get(0)?,
            kind: MethodKind::parse(&kind).unwrap_or(MethodKind::Sms),
            phone_number: row.get(2)?,
            extension: row.get(3)?,
            backup_phone_number: row.get(4)?,
            registered_at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether `upn` has any method.
pub fn any(connection: &Connection, upn: &str) -> StoreResult<bool> {
    Ok(connection.query_row("SELECT EXISTS (SELECT 1 FROM auth_methods WHERE upn = ?1)", [upn], |row| row.get(0))?)
}

/// Registers `method` for `upn`, with an app's sealed secret and the step its first code had.
pub fn insert(connection: &Connection, upn: &str, method: &Method, totp: Option<(&[u8], i64)>) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO auth_methods (id, upn, kind, phone_number, extension, backup_phone_number, totp_secret_sealed, totp_last_step,
                                   registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            method.id,
            upn,
            method.kind.as_str(),
            method.phone_number,
            method.extension,
            method.backup_phone_number,
            totp.map(|(sealed, _)| sealed),
            totp.map(|(_, step)| step),
            method.registered_at
        ],
    )?;
    Ok(())
}

/// Removes `upn`'s method `id`; whether it existed.
pub fn remove(connection: &Connection, upn: &str, id: &str) -> StoreResult<bool> {
    Ok(connection.execute("DELETE FROM auth_methods WHERE upn = ?1 AND id = ?2", params![upn, id])? == 1)
}
