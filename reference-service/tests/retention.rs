//! Retention: selfies deleted 24 h after upload, liveness captures 48 h after capture.

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
