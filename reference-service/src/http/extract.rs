//! Request extractors that turn axum's plain-text rejections into the JSON error contract.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::http::error::ApiError;

/// JSON body extractor answering malformed input with `400 INVALID_JSON`
/// (or `415 UNSUPPORTED_MEDIA_TYPE` without a JSON content type).
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "send Content-Type: application/json",
            )),
            Err(rejection) => Err(ApiError::bad_request("INVALID_JSON", rejection.body_text())),
        }
    }
}

/// Query-string extractor answering malformed parameters with `400 INVALID_QUERY`.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| ApiError::bad_request("INVALID_QUERY", rejection.body_text()))
    }
}

/// Raw body extractor for the routes the idempotency layer does not buffer (the partner's signed
/// callback): a body over the limit is `413 BODY_TOO_LARGE` in the JSON contract, as it is on
/// every other POST, instead of axum's plain-text rejection.
pub struct ApiBytes(pub Bytes);

impl<S> FromRequest<S> for ApiBytes
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(Self(bytes)),
            Err(BytesRejection::FailedToBufferBody(failed)) if failed.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", "body too large"))
            }
            Err(rejection) => Err(ApiError::bad_request("BODY_UNREADABLE", rejection.body_text())),
        }
    }
}
