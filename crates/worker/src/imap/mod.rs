//! The IMAP side of inbound mail, on async-imap over tokio (TLS by rustls,
//! the stack the SMTP and HTTP clients already use).
//!
//! [`connect`] opens an authenticated session; [`Folder`] wraps a selected
//! folder with the few commands polling needs: list the UIDs after the
//! cursor with their sizes, fetch messages (whole, or only the header of one
//! over the size limit), flag or move processed ones, and wait in IDLE.
//! Errors carry no server text (it may quote addresses).

mod connect;

use std::time::Duration;

use async_imap::{Session, extensions::idle::IdleResponse, types::Fetch};
use futures::TryStreamExt;

pub use connect::{ImapSession, Io, Target, connect};

/// Why a poll failed; messages are safe to store and log.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("connect: {0}")]
    Connect(&'static str),
    #[error("login failed")]
    Login,
    #[error("the folder does not exist or cannot be selected")]
    Select,
    #[error("the server sent no UIDVALIDITY")]
    NoUidValidity,
    #[error("IMAP protocol: {0}")]
    Protocol(String),
}

impl ImapError {
    fn io(e: impl std::fmt::Display) -> ImapError {
        ImapError::Protocol(e.to_string())
    }
}

/// A message on the server: its UID and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub uid: u32,
    pub size: u32,
}

/// A message fetched: its bytes (only the header when `header_only`).
#[derive(Debug, Clone)]
pub struct Message {
    pub uid: u32,
    pub size: u32,
    pub bytes: Vec<u8>,
    pub header_only: bool,
}

/// A selected folder.
#[derive(Debug)]
pub struct Folder {
    session: ImapSession,
    pub uid_validity: u32,
    /// Whether the server offers IDLE (RFC 2177) and MOVE (RFC 6851).
    pub idle: bool,
    pub moves: bool,
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Folder {
    /// Selects `folder` in `session`.
    pub async fn select(mut session: ImapSession, folder: &str) -> Result<Folder, ImapError> {
        let capabilities = session.capabilities().await.map_err(ImapError::io)?;
        let selected = session
            .select(folder)
            .await
            .map_err(|_| ImapError::Select)?;
        Ok(Folder {
            uid_validity: selected.uid_validity.ok_or(ImapError::NoUidValidity)?,
            idle: capabilities.has_str("IDLE"),
            moves: capabilities.has_str("MOVE"),
            session,
        })
    }

    /// Messages with a UID above `after`, in UID order.
    pub async fn list_after(&mut self, after: u32) -> Result<Vec<Listed>, ImapError> {
        let fetches: Vec<Fetch> = self
            .session
            .uid_fetch(
                format!("{}:*", after.saturating_add(1)),
                "(UID RFC822.SIZE)",
            )
            .await
            .map_err(ImapError::io)?
            .try_collect()
            .await
            .map_err(ImapError::io)?;
        // `n:*` also answers the last message when every UID is below n.
        let mut listed: Vec<Listed> = fetches
            .iter()
            .filter_map(|f| {
                Some(Listed {
                    uid: f.uid?,
                    size: f.size.unwrap_or(0),
                })
            })
            .filter(|l| l.uid > after)
            .collect();
        listed.sort_by_key(|l| l.uid);
        Ok(listed)
    }

    /// Fetches `listed` without setting \Seen: whole messages up to
    /// `max_bytes`, only the header of larger ones. Answered in UID order.
    pub async fn fetch(
        &mut self,
        listed: &[Listed],
        max_bytes: u32,
    ) -> Result<Vec<Message>, ImapError> {
        let (small, large): (Vec<Listed>, Vec<Listed>) =
            listed.iter().partition(|l| l.size <= max_bytes);
        let mut messages = Vec::with_capacity(listed.len());
        for (group, query, header_only) in [
            (small, "(UID BODY.PEEK[])", false),
            (large, "(UID RFC822.HEADER)", true),
        ] {
            if group.is_empty() {
                continue;
            }
            let uids: Vec<u32> = group.iter().map(|l| l.uid).collect();
            let fetches: Vec<Fetch> = self
                .session
                .uid_fetch(uid_set(&uids), query)
                .await
                .map_err(ImapError::io)?
                .try_collect()
                .await
                .map_err(ImapError::io)?;
            for fetch in &fetches {
                let (Some(uid), Some(bytes)) = (fetch.uid, fetch.body().or_else(|| fetch.header()))
                else {
                    continue;
                };
                let size = group.iter().find(|l| l.uid == uid).map_or(0, |l| l.size);
                messages.push(Message {
                    uid,
                    size,
                    bytes: bytes.to_vec(),
                    header_only,
                });
            }
        }
        messages.sort_by_key(|m| m.uid);
        Ok(messages)
    }

    /// Marks processed messages: `\Seen`, or moved to `move_to` (MOVE, else
    /// COPY + `\Deleted` + UID EXPUNGE).
    pub async fn mark_processed(
        &mut self,
        uids: &[u32],
        move_to: Option<&str>,
    ) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        match move_to {
            None => {
                let _: Vec<Fetch> = self
                    .session
                    .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
                    .await
                    .map_err(ImapError::io)?
                    .try_collect()
                    .await
                    .map_err(ImapError::io)?;
            }
            Some(folder) if self.moves => {
                self.session
                    .uid_mv(&set, folder)
                    .await
                    .map_err(ImapError::io)?;
            }
            Some(folder) => {
                self.session
                    .uid_copy(&set, folder)
                    .await
                    .map_err(ImapError::io)?;
                let _: Vec<Fetch> = self
                    .session
                    .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
                    .await
                    .map_err(ImapError::io)?
                    .try_collect()
                    .await
                    .map_err(ImapError::io)?;
                let _: Vec<u32> = self
                    .session
                    .uid_expunge(&set)
                    .await
                    .map_err(ImapError::io)?
                    .try_collect()
                    .await
                    .map_err(ImapError::io)?;
            }
        }
        Ok(())
    }

    /// Waits in IDLE until the server reports a change or `limit` passes;
    /// `true` when something changed.
    pub async fn idle(self, limit: Duration) -> Result<(Folder, bool), ImapError> {
        let Folder {
            session,
            uid_validity,
            idle,
            moves,
        } = self;
        let mut handle = session.idle();
        handle.init().await.map_err(ImapError::io)?;
        let (wait, _stop) = handle.wait_with_timeout(limit);
        let response = wait.await.map_err(ImapError::io)?;
        let session: Session<Box<dyn Io>> = handle.done().await.map_err(ImapError::io)?;
        let changed = matches!(response, IdleResponse::NewData(_));
        Ok((
            Folder {
                session,
                uid_validity,
                idle,
                moves,
            },
            changed,
        ))
    }

    /// Logs out (best effort).
    pub async fn logout(mut self) {
        let _ = self.session.logout().await;
    }
}
