//! HTTP/1.1 message framing for the test proxies: one message at a time, by Content-Length.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Reads one HTTP/1.1 message framed by Content-Length; `None` at a clean end of stream. A
/// chunked message is refused (an error closes the connection): recording it wrongly would let
/// a broken body pass unseen.
pub async fn read_message(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            if head.lines().any(|l| l.starts_with("transfer-encoding:") && l.contains("chunked")) {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "chunked messages are not recorded"));
            }
            let length =
                head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))).unwrap_or(0);
            let total = end + 4 + length;
            while buffer.len() < total {
                let mut chunk = [0u8; 8192];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            return Ok(Some(buffer.drain(..total).collect()));
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}
