//! The runtime's reading of the service's answers, on any HTTP status and body: the reading
//! every attempt makes (`transport::read_answer`: a success's body, or the refusal's code),
//! then the bodies the flow's review and government-ID steps are built from
//! (`service_client::read_status_update`, `read_government_id_verdict`) and the service's
//! times. Never a panic; a success is exactly its body; a refusal keeps its status and gives
//! a code (the service's own when its JSON carries one); times read back as they were written.
#![no_main]

use identity_pass_runtime::TransportError;
use identity_pass_runtime::service_client::{format_time, parse_time, read_government_id_verdict, read_status_update};
use identity_pass_runtime::transport::read_answer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = data.split_first_chunk::<2>() else { return };
    // Mostly the statuses services send, sometimes any u16.
    let raw = u16::from_le_bytes(*head);
    let status = if raw & 0x8000 == 0 { 100 + raw % 500 } else { raw };
    match read_answer(status, body) {
        Ok(success) => {
            assert!((200..300).contains(&status), "{status} read as a success");
            assert_eq!(success, body);
            if let Ok(update) = read_status_update(body) {
                assert_eq!(parse_time(&format_time(update.server_time)).ok(), Some(update.server_time));
            }
            if let Ok(verdict) = read_government_id_verdict(body) {
                assert_eq!(parse_time(&format_time(verdict.server_time)).ok(), Some(verdict.server_time));
            }
        }
        Err(TransportError::Service { status: kept, code, .. }) => {
            assert!(!(200..300).contains(&status));
            assert_eq!(kept, status);
            // The service's own code when the body is its `{code, message}`, else `HTTP_<status>`
            // (also for a body that repeats a key, which the runtime's reading refuses). A code
            // other than that is never invented: it is in the body. (The body may be one the
            // generic JSON reader below refuses, e.g. bad UTF-8 inside a field nobody reads.)
            let fallback = format!("HTTP_{status}");
            if let Some(sent) = body_code(body) {
                assert!(code == sent || code == fallback, "{code:?} for a body with code {sent:?}");
            }
            if code != fallback {
                assert!(body.windows(code.len().max(1)).any(|w| w == code.as_bytes()) || code.is_empty() || body.contains(&b'\\'));
            }
        }
        Err(TransportError::UnexpectedBody { .. }) => assert!(!(100..1000).contains(&status), "{status} refused as a status"),
        Err(other) => panic!("{other:?} from reading an answer"),
    }
    // Any text the service could put in a time field.
    if let Ok(text) = std::str::from_utf8(body)
        && let Ok(millis) = parse_time(text)
    {
        assert_eq!(parse_time(&format_time(millis)).ok(), Some(millis), "{text:?}");
    }
});

/// The `code` of a JSON error body, if it is one (as the service writes it).
fn body_code(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.as_object()?;
    let code = value.get("code")?.as_str()?.to_owned();
    match value.get("message") {
        None | Some(serde_json::Value::String(_)) => Some(code),
        Some(_) => None,
    }
}
