//! The `date_of_birth_failures` table: wrong dates of birth, filed by person (the normalised
//! UPN) and, when made on a request, by request. Guesses are kept as a hash with the person, so
//! the table does not list plain dates next to names. The limits themselves are in
//! `domain::date_of_birth`.

use rusqlite::params;

use crate::domain::date_of_birth::FAILURE_WINDOW_SECONDS;
use crate::secrets::sha256;
use crate::store::{Connection, StoreResult};

/// Wrong dates for `person` in the last [`FAILURE_WINDOW_SECONDS`].
pub fn for_person(connection: &Connection, person: &str, now: i64) -> StoreResult<i64> {
    Ok(connection.query_row(
        "SELECT COUNT(*) FROM date_of_birth_failures WHERE upn = ?1 AND failed_at > ?2",
        params![person, now - FAILURE_WINDOW_SECONDS],
        |r| r.get(0),
    )?)
}

/// Wrong dates ever made on `request_id`.
pub fn on_request(connection: &Connection, request_id: &str) -> StoreResult<i64> {
    Ok(connection.query_row("SELECT COUNT(*) FROM date_of_birth_failures WHERE request_id = ?1", [request_id], |r| r.get(0))?)
}

/// Files a wrong date unless the same one was already filed (for this request, or for this
/// person within the window), and forgets one-step guesses that no longer count (request-bound
/// ones are kept: they make up the request's own count).
pub fn record(connection: &Connection, person: &str, request_id: Option<&str>, dob: &str, now: i64) -> StoreResult<()> {
    connection
        .execute("DELETE FROM date_of_birth_failures WHERE request_id IS NULL AND failed_at <= ?1", [now - FAILURE_WINDOW_SECONDS])?;
    let guess_hash = sha256(format!("{person}\n{dob}").as_bytes());
    connection.execute(
        "INSERT INTO date_of_birth_failures (upn, request_id, guess_hash, failed_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE NOT EXISTS (SELECT 1 FROM date_of_birth_failures WHERE upn = ?1 AND guess_hash = ?3
             AND (request_id IS ?2 OR failed_at > ?5))",
        params![person, request_id, guess_hash, now, now - FAILURE_WINDOW_SECONDS],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    #[test]
    fn the_same_wrong_date_counts_once_and_old_guesses_expire() {
        let connection = memory_for_tests();
        record(&connection, "bob@contoso.example", None, "1985-11-29", 100).expect("first");
        record(&connection, "bob@contoso.example", None, "1985-11-29", 200).expect("same again");
        record(&connection, "bob@contoso.example", None, "1985-11-28", 300).expect("another");
        assert_eq!(for_person(&connection, "bob@contoso.example", 300).expect("count"), 2);
        assert_eq!(for_person(&connection, "bob@contoso.example", 100 + FAILURE_WINDOW_SECONDS).expect("count"), 1);
        assert_eq!(on_request(&connection, "req_1").expect("count"), 0);
    }
}
