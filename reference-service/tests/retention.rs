//! Retention: selfies deleted 24 h after upload, liveness captures 48 h after capture, and the
//! replay bookkeeping (partner event ids, presentation nonces) once it guards nothing.

mod common;

use common::*;

#[tokio::test]
async fn purge_deletes_selfies_after_24h_and_liveness_captures_after_48h() {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    h.api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    pass_liveness(&h.api, &device, id).await;
    assert_eq!(h.service.count_rows("selfies").expect("count"), 1);
    assert_eq!(h.service.count_rows("liveness_captures").expect("count"), 1);

    h.clock.advance(24 * 3600 - 1);
    let report = h.service.purge_now().expect("purge");
    assert_eq!((report.selfies, report.liveness_captures), (0, 0));
    h.clock.advance(1);
    let report = h.service.purge_now().expect("purge");
    assert_eq!((report.selfies, report.liveness_captures), (1, 0));
    assert_eq!(h.service.count_rows("selfies").expect("count"), 0);
    assert_eq!(h.service.count_rows("liveness_captures").expect("count"), 1);

    h.clock.advance(24 * 3600 - 1);
    assert_eq!(h.service.purge_now().expect("purge").liveness_captures, 0);
    h.clock.advance(1);
    assert_eq!(h.service.purge_now().expect("purge").liveness_captures, 1);
    assert_eq!(h.service.count_rows("liveness_captures").expect("count"), 0);
    let view = h.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    assert_eq!(view["liveness_result"], "passed", "the result outlives the capture");
}

#[tokio::test]
async fn replay_bookkeeping_goes_once_replays_are_refused_on_other_grounds() {
    let h = start().await;
    let device = h.api.register_keyed_device().await;
    let id = h.api.post("/v1/requests", device.auth(), &dave_identity()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    verify_government_id(&h.api, &device.auth, &id).await;
    h.api.presentation_nonce(&device.auth).await;
    assert_eq!(
        (h.service.count_rows("partner_events").expect("count"), h.service.count_rows("presentation_nonces").expect("count")),
        (1, 1)
    );

    h.clock.advance(120);
    let report = h.service.purge_now().expect("purge");
    assert_eq!((report.presentation_nonces, report.partner_events), (1, 0), "an expired nonce goes; the event id stays a day");
    h.clock.advance(24 * 3600);
    assert_eq!(h.service.purge_now().expect("purge").partner_events, 1);
    assert_eq!(h.service.count_rows("partner_events").expect("count"), 0);
}

/// Whether `needle` occurs in the database file or its WAL.
fn on_disk(db: &std::path::Path, needle: &[u8]) -> bool {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    [db.to_path_buf(), std::path::PathBuf::from(wal)]
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

#[tokio::test]
async fn a_replaced_or_purged_selfie_leaves_no_bytes_in_the_database_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("service.sqlite3");
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(START));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let h = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock, pushes).await;
    let device = h.api.register_device().await;
    let id = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    let (first, second) = (face_jpeg(), liveness_frame(1.0));
    // 64 bytes from the middle of each picture's compressed data: found only where it is kept.
    let mark = |jpeg: &[u8]| jpeg[jpeg.len() / 2..jpeg.len() / 2 + 64].to_vec();
    let selfie = format!("/v1/requests/{id}/selfie");
    h.api.post_bytes(&selfie, &device, "image/jpeg", first.clone()).await.ok(200);
    h.api.post_bytes(&selfie, &device, "image/jpeg", second.clone()).await.ok(200);
    h.service.purge_now().expect("purge");
    assert!(on_disk(&db, &mark(&second)), "the kept selfie is found, so the search works");
    assert!(!on_disk(&db, &mark(&first)), "the replaced selfie's bytes are gone from the file and the WAL");

    h.clock.advance(24 * 3600);
    assert_eq!(h.service.purge_now().expect("purge").selfies, 1);
    assert!(!on_disk(&db, &mark(&second)), "a purged selfie's bytes are gone too");
}
