//! A loopback HTTP/1.1 proxy that writes down every request the phone sends (method, path,
//! query, headers, body) and forwards it to the service unchanged, so a test can hold what the
//! runtime really put on the wire against the service's contract.
//!
//! The recordings hold the device's bearer credential and secret: they stay in memory, and
//! `RecordedRequest`'s Debug prints neither header values nor the body.

use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// One request as it crossed the wire.
#[derive(Clone)]
pub struct RecordedRequest {
    /// Upper case, e.g. `POST`.
    pub method: String,
    /// The path alone, e.g. `/v1/requests/req_…/status`.
    pub path: String,
    /// Query pairs in order, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body's bytes (empty when none was sent).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// `METHOD /path` for messages.
    pub fn call(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Parses an HTTP/1.1 request message (head and body).
    pub fn parse(message: &[u8]) -> Option<RecordedRequest> {
        let end = message.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&message[..end]).ok()?;
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next()?.split(' ');
        let method = request_line.next()?.to_owned();
        let target = request_line.next()?;
        // Any host will do: only the path and query of the target matter.
        let url = reqwest::Url::parse(&format!("http://recorded{target}")).ok()?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Some(RecordedRequest {
            method,
            path: url.path().to_owned(),
            query: url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            headers,
            body: message[end + 4..].to_vec(),
        })
    }
}

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RecordedRequest")
            .field("call", &self.call())
            .field("query", &self.query)
            .field("header_names", &header_names)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// The proxy; `requests` grows as the phone talks.
pub struct RecordingProxy {
    pub address: std::net::SocketAddr,
    pub requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl RecordingProxy {
    pub async fn start(upstream: std::net::SocketAddr) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let proxy = RecordingProxy { address: listener.local_addr().expect("address"), requests: Arc::default() };
        let requests = proxy.requests.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let requests = requests.clone();
                tokio::spawn(async move {
                    let _ = serve(client, upstream, requests).await;
                });
            }
        });
        proxy
    }

    /// What was recorded so far.
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.requests.lock().expect("requests").clone()
    }

    /// Whether a `method` request to a path ending in `path_ends_with` went through.
    pub fn saw(&self, method: &str, path_ends_with: &str) -> bool {
        self.requests.lock().expect("requests").iter().any(|r| r.method == method && r.path.ends_with(path_ends_with))
    }
}

async fn serve(mut client: TcpStream, upstream: std::net::SocketAddr, requests: Arc<Mutex<Vec<RecordedRequest>>>) -> std::io::Result<()> {
    let mut service = TcpStream::connect(upstream).await?;
    let (mut from_client, mut from_service) = (Vec::new(), Vec::new());
    while let Some(request) = super::super::http_message::read_message(&mut client, &mut from_client).await? {
        let recorded = RecordedRequest::parse(&request)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP/1.1 request"))?;
        requests.lock().expect("requests").push(recorded);
        service.write_all(&request).await?;
        let Some(answer) = super::super::http_message::read_message(&mut service, &mut from_service).await? else { return Ok(()) };
        client.write_all(&answer).await?;
    }
    Ok(())
}
