//! The worker's `/metrics` endpoint (Prometheus text format).
//!
//! The endpoint is a deliberately small HTTP/1.1 responder on
//! `worker.metrics_bind` (loopback by default): it answers `GET /metrics`
//! and `GET /healthz`, everything else 404, one request per connection.

use std::{sync::Arc, time::Duration};

use guestcare_jobs::QueueMetrics;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// Serves `/metrics` on `listener` until shutdown.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<QueueMetrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let metrics = metrics.clone();
                    tokio::spawn(async move {
                        if let Err(error) = answer(stream, &metrics).await {
                            tracing::debug!(%error, "metrics request failed");
                        }
                    });
                }
                Err(error) => tracing::warn!(%error, "metrics listener could not accept"),
            },
            _ = shutdown.changed() => {}
        }
    }
}

/// Reads one request head and answers it.
async fn answer(mut stream: TcpStream, metrics: &QueueMetrics) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 512];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buf[..read]);
    }
    let request_line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let (status, content_type, body) = match request_line {
        line if line.starts_with(b"GET /metrics ") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.render(),
        ),
        line if line.starts_with(b"GET /healthz ") => {
            ("200 OK", "text/plain; charset=utf-8", "ok\n".to_owned())
        }
        _ => (
            "404 Not Found",
            "text/plain; charset=utf-8",
            "not found\n".to_owned(),
        ),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
