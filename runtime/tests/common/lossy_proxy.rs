//! A loopback HTTP/1.1 proxy that loses answers on purpose: it forwards every request to the
//! service, and for the exchanges it is told to cut, lets the service act and then closes the
//! phone's connection before a byte of the answer arrives — the worst kind of network cut,
//! where the phone cannot know whether the service acted.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Which exchanges lose their answer.
pub struct LossyProxy {
    pub address: std::net::SocketAddr,
    /// Exchanges seen (requests forwarded).
    pub exchanges: Arc<AtomicU64>,
    /// Answers dropped.
    pub dropped: Arc<AtomicU64>,
    /// The calls (method and path) whose answer was dropped.
    pub cut_calls: Arc<Mutex<HashSet<String>>>,
    /// When set, the first exchange of every method and path (query aside) loses its answer:
    /// every kind of call is cut once, and its retries go through.
    pub cut_each_call_once: Arc<AtomicBool>,
}

impl LossyProxy {
    pub async fn start(upstream: std::net::SocketAddr) -> LossyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let proxy = LossyProxy {
            address: listener.local_addr().expect("address"),
            exchanges: Arc::default(),
            dropped: Arc::default(),
            cut_each_call_once: Arc::default(),
            cut_calls: Arc::default(),
        };
        let (exchanges, dropped, cut) = (proxy.exchanges.clone(), proxy.dropped.clone(), proxy.cut_each_call_once.clone());
        let seen = proxy.cut_calls.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (exchanges, dropped, cut, seen) = (exchanges.clone(), dropped.clone(), cut.clone(), seen.clone());
                tokio::spawn(async move {
                    let _ = serve(client, upstream, exchanges, dropped, cut, seen).await;
                });
            }
        });
        proxy
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    exchanges: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
    cut: Arc<AtomicBool>,
    seen: Arc<Mutex<HashSet<String>>>,
) -> std::io::Result<()> {
    let mut service = TcpStream::connect(upstream).await?;
    let (mut from_client, mut from_service) = (Vec::new(), Vec::new());
    while let Some(request) = super::http_message::read_message(&mut client, &mut from_client).await? {
        exchanges.fetch_add(1, Ordering::SeqCst);
        let line = String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_owned();
        let call = line.split('?').next().unwrap_or_default().to_owned();
        service.write_all(&request).await?;
        let Some(answer) = super::http_message::read_message(&mut service, &mut from_service).await? else { return Ok(()) };
        let first_of_its_kind = seen.lock().expect("seen").insert(call);
        if cut.load(Ordering::SeqCst) && first_of_its_kind {
            // The service acted; the phone never hears of it.
            dropped.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        client.write_all(&answer).await?;
    }
    Ok(())
}
