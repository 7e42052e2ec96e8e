//! Development SMS: one JSON line per message appended to a file
//! (`sms.log_path`), for `guestcare dev` and local runs.

use std::path::PathBuf;

use futures::{FutureExt, future::BoxFuture};
use tokio::io::AsyncWriteExt;

use super::{OutgoingSms, SmsError, SmsProvider, SmsReceipt};

#[derive(Debug)]
pub struct LogFile {
    pub path: PathBuf,
}

impl LogFile {
    async fn append(&self, sms: &OutgoingSms) -> Result<SmsReceipt, SmsError> {
        let io = |e: std::io::Error| SmsError::Transient(format!("SMS log: {e}"));
        let mut line = serde_json::json!({
            "at": chrono::Utc::now(),
            "reference": sms.reference,
            "to": sms.to,
            "text": sms.text,
        })
        .to_string();
        line.push('\n');
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await
            .map_err(io)?;
        file.write_all(line.as_bytes()).await.map_err(io)?;
        Ok(SmsReceipt {
            provider_id: Some(format!("log:{}", sms.reference)),
        })
    }
}

impl SmsProvider for LogFile {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<SmsReceipt, SmsError>> {
        self.append(sms).boxed()
    }
}
