//! Reading what the reviewer decides with: the requester's details and the evidence results on
//! the request, and the stored images (`selfies`, `liveness_captures`). Which of them may be
//! shown is `domain::review_evidence`'s rule; this file only reads.

use rusqlite::OptionalExtension;

use crate::domain::directory::StaffKind;
use crate::domain::review_evidence::EvidenceRecord;
use crate::store::{Connection, StoreResult, requests};

/// Request `id` with its requester's details and evidence results (any state; the caller
/// applies the rules).
pub fn load(connection: &Connection, id: &str) -> StoreResult<EvidenceRecord> {
    let request = requests::load(connection, id)?;
    let (employee_id, staff_kind, personal_email, government_id_reason, liveness_reason) = connection.query_row(
        "SELECT employee_id, staff_kind, personal_email, government_id_reason, liveness_reason FROM requests WHERE id = ?1",
        [id],
        |row| {
            let staff_kind: String = row.get(1)?;
            Ok((row.get(0)?, staff_kind, row.get(2)?, row.get(3)?, row.get(4)?))
        },
    )?;
    // On the request, not the capture's row: it outlives the purge, so an expired capture is
    // told apart from one that never came.
    let liveness_captured_at: Option<i64> =
        connection.query_row("SELECT liveness_captured_at FROM requests WHERE id = ?1", [id], |row| row.get(0))?;
    Ok(EvidenceRecord {
        request,
        employee_id,
        // Written only by `requests::insert`, from the same two names.
        staff_kind: if staff_kind == StaffKind::External.as_str() { StaffKind::External } else { StaffKind::Employee },
        personal_email,
        government_id_reason,
        liveness_reason,
        liveness_captured_at,
    })
}

/// The stored selfie of request `id`, if the purge has not deleted it.
pub fn selfie_jpeg(connection: &Connection, id: &str) -> StoreResult<Option<Vec<u8>>> {
    Ok(connection.query_row("SELECT jpeg FROM selfies WHERE request_id = ?1", [id], |row| row.get(0)).optional()?)
}

/// The stored liveness capture of request `id`, if one came and the purge has not deleted it.
pub fn liveness_capture_jpeg(connection: &Connection, id: &str) -> StoreResult<Option<Vec<u8>>> {
    Ok(connection.query_row("SELECT jpeg FROM liveness_captures WHERE request_id = ?1", [id], |row| row.get(0)).optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{OnboardingPath, RolloutFlags};
    use crate::store::requests::{NewRequest, insert};
    use crate::store::{Missing, StoreError, evidence, memory_for_tests};

    #[test]
    fn the_record_carries_the_requesters_details_and_the_images_their_times() {
        let connection = memory_for_tests();
        connection
            .execute("INSERT INTO devices (id, secret_hash, platform, created_at) VALUES ('dev_1', x'00', 'android', 10)", [])
            .expect("device");
        let new = NewRequest {
            id: "req_1",
            device_id: "dev_1",
            upn: "v-frank@contoso.example",
            employee_id: "X2002",
            personal_email: Some("frank@example.net"),
            staff_kind: StaffKind::External,
            path: OnboardingPath::GetTap,
            flags: RolloutFlags::default(),
            fast_path: false,
            identity_confirmed_at: Some(10),
            consent: None,
        };
        insert(&connection, &new, 10).expect("insert");
        let record = load(&connection, "req_1").expect("record");
        assert_eq!((record.employee_id.as_str(), record.staff_kind), ("X2002", StaffKind::External));
        assert_eq!(record.personal_email.as_deref(), Some("frank@example.net"));
        assert_eq!((record.liveness_captured_at, selfie_jpeg(&connection, "req_1").expect("read")), (None, None));

        evidence::save_selfie(&connection, "req_1", &[1, 2, 3], 20).expect("selfie");
        evidence::record_liveness(&connection, "req_1", "passed", None, Some(&[4, 5]), 30).expect("liveness");
        let record = load(&connection, "req_1").expect("record");
        assert_eq!((record.request.selfie_uploaded_at, record.liveness_captured_at), (Some(20), Some(30)));
        assert_eq!(selfie_jpeg(&connection, "req_1").expect("read"), Some(vec![1, 2, 3]));
        assert_eq!(liveness_capture_jpeg(&connection, "req_1").expect("read"), Some(vec![4, 5]));
        assert!(matches!(load(&connection, "req_2"), Err(StoreError::NotFound(Missing::Request))));
    }
}
