//! The association documents the phones' operating systems fetch from the RP id's domain before
//! they let the Identity Pass app use its passkeys and open its links:
//! `/.well-known/assetlinks.json` (Android, Digital Asset Links) and
//! `/.well-known/apple-app-site-association` (iOS). Public, JSON, and served directly: both
//! verifiers refuse a redirect.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::app_links::AppLinks;
use crate::http::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Briefly cacheable: the verifiers and their CDNs fetch these on every install and update, and
/// an operator who adds a certificate sees it taken within minutes.
const CACHE_CONTROL: &str = "public, max-age=300";

/// Digital Asset Links: the app may handle this domain's links and use its sign-in credentials
/// (passkeys through Credential Manager).
const ANDROID_RELATIONS: [&str; 2] = ["delegate_permission/common.handle_all_urls", "delegate_permission/common.get_login_creds"];

/// The app paths iOS opens in the app instead of the browser (the onward links after the TAP).
const UNIVERSAL_LINK_PATHS: &str = "/app/*";

/// One statement of `assetlinks.json`.
#[derive(Debug, Serialize)]
pub struct AssetLinkStatement {
    /// What the app may do for this domain.
    pub relation: [&'static str; 2],
    /// The app.
    pub target: AndroidAppTarget,
}

/// An Android app, as Digital Asset Links names it.
#[derive(Debug, Serialize)]
pub struct AndroidAppTarget {
    /// Always `android_app`.
    pub namespace: &'static str,
    /// The application id.
    pub package_name: String,
    /// Its signing certificates, upper-case colon-separated hex.
    pub sha256_cert_fingerprints: Vec<String>,
}

/// `apple-app-site-association`.
#[derive(Debug, Serialize)]
pub struct AppleAppSiteAssociation {
    /// Universal links.
    pub applinks: AppleAppLinks,
    /// Passkeys and passwords (associated domains' `webcredentials:`).
    pub webcredentials: AppleWebCredentials,
}

/// The `applinks` section.
#[derive(Debug, Serialize)]
pub struct AppleAppLinks {
    /// One entry for all the configured apps.
    pub details: [AppleAppLinkDetail; 1],
}

/// Which apps open which paths.
#[derive(Debug, Serialize)]
pub struct AppleAppLinkDetail {
    /// `TEAMID.bundle.id` of each app.
    #[serde(rename = "appIDs")]
    pub app_ids: Vec<String>,
    /// The paths they open, `[{"/": "/app/*"}]`.
    pub components: [UrlComponent; 1],
}

/// A URL path pattern.
#[derive(Debug, Serialize)]
pub struct UrlComponent {
    /// The pattern.
    #[serde(rename = "/")]
    pub path: &'static str,
}

/// The `webcredentials` section.
#[derive(Debug, Serialize)]
pub struct AppleWebCredentials {
    /// `TEAMID.bundle.id` of each app.
    pub apps: Vec<String>,
}

/// The statements for the configured Android apps; `None` without one.
pub fn asset_links(links: &AppLinks) -> Option<Vec<AssetLinkStatement>> {
    if links.android_packages.is_empty() {
        return None;
    }
    let fingerprints: Vec<String> = links.android_certificates.iter().map(|c| c.colon_hex()).collect();
    let statement = |package: &String| AssetLinkStatement {
        relation: ANDROID_RELATIONS,
        target: AndroidAppTarget {
            namespace: "android_app",
            package_name: package.clone(),
            sha256_cert_fingerprints: fingerprints.clone(),
        },
    };
    Some(links.android_packages.iter().map(statement).collect())
}

/// The association for the configured Apple apps; `None` without one.
pub fn apple_app_site_association(links: &AppLinks) -> Option<AppleAppSiteAssociation> {
    if links.apple_app_ids.is_empty() {
        return None;
    }
    Some(AppleAppSiteAssociation {
        applinks: AppleAppLinks {
            details: [AppleAppLinkDetail {
                app_ids: links.apple_app_ids.clone(),
                components: [UrlComponent { path: UNIVERSAL_LINK_PATHS }],
            }],
        },
        webcredentials: AppleWebCredentials { apps: links.apple_app_ids.clone() },
    })
}

/// A document, or 404 when no app of that platform is configured. Not an empty document: an
/// empty statement list would be this service claiming "no app" on the operator's behalf and
/// be cached as such by the verifiers, while a 404 is what a domain without the file answers,
/// and makes the missing flags plain to whoever checks the URL.
fn document<T: Serialize>(document: Option<T>, missing: &'static str) -> ApiResult<Response> {
    let document = document.ok_or_else(|| ApiError::not_found("ROUTE_NOT_FOUND", missing))?;
    Ok(([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(document)).into_response())
}

/// `GET /.well-known/assetlinks.json`.
pub async fn android(State(state): State<AppState>) -> ApiResult<Response> {
    document(asset_links(&state.app_links), "no Android app is configured (--android-package, --android-cert-sha256)")
}

/// `GET /.well-known/apple-app-site-association`.
pub async fn apple(State(state): State<AppState>) -> ApiResult<Response> {
    document(apple_app_site_association(&state.app_links), "no Apple app is configured (--apple-app-id)")
}
