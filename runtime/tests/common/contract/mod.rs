//! The client's half of the contract test: a proxy that records what the runtime sends, and a
//! checker holding each recorded request against reference-service/openapi.yaml.

pub mod openapi_requests;
pub mod recording_proxy;
