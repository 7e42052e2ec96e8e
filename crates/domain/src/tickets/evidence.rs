//! Evidence kept on a ticket: photos and documents, recognised by their
//! bytes (never by the name or the declared type).

use sha2::{Digest, Sha256};

use crate::templates::sniff_image;

/// The largest file kept (10 MiB).
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The type of `bytes` if it is evidence guestcare keeps: PNG, JPEG, GIF,
/// WebP or PDF.
pub fn evidence_type(bytes: &[u8]) -> Option<&'static str> {
    sniff_image(bytes).or_else(|| bytes.starts_with(b"%PDF-").then_some("application/pdf"))
}

/// The SHA-256 of a kept file (to recognise the same evidence twice).
pub fn evidence_digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_and_pdfs_are_recognised_by_their_bytes() {
        assert_eq!(evidence_type(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            evidence_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(evidence_type(b"MZ\x90\0"), None);
        assert_eq!(evidence_type(b""), None);
    }
}
