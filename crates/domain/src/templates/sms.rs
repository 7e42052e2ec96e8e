//! SMS encodings and segments.
//!
//! A text whose every character is in the GSM 03.38 alphabet travels as
//! GSM-7: 160 septets in one message, 153 per segment when split (the rest
//! is the concatenation header); characters of the extension table
//! (`^ { } [ ] ~ \ | €` and form feed) take two septets. Anything else —
//! Vietnamese with diacritics, Chinese, emoji — travels as UCS-2: 70 UTF-16
//! units in one message, 67 per segment. A character (an escape pair or a
//! surrogate pair) is never split across two segments.

use serde::Serialize;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                          ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// How an SMS is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// How a text splits into SMS segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Segments {
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    /// Messages billed; 0 for an empty text.
    pub segments: usize,
}

/// The encoding and segment count of `text`.
pub fn segments(text: &str) -> Segments {
    let gsm: Option<Vec<usize>> = text.chars().map(gsm7_units).collect();
    let (encoding, sizes, single, multi) = match gsm {
        Some(sizes) => (Encoding::Gsm7, sizes, 160, 153),
        None => (
            Encoding::Ucs2,
            text.chars().map(char::len_utf16).collect(),
            70,
            67,
        ),
    };
    let units: usize = sizes.iter().sum();
    let segments = if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        let (mut count, mut used) = (1, 0);
        for size in sizes {
            if used + size > multi {
                count += 1;
                used = 0;
            }
            used += size;
        }
        count
    };
    Segments {
        encoding,
        units,
        segments,
    }
}

fn gsm7_units(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// `text` without Vietnamese diacritics: tone and vowel marks dropped, `đ` →
/// `d`, `Đ` → `D`. Other characters are kept, in NFC.
pub fn strip_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .nfc()
        .collect()
}

/// The estimated price of sending `segments` at `price_per_segment`,
/// rounded to four decimals.
pub fn estimate_cost(segments: Segments, price_per_segment: f64) -> f64 {
    let raw = segments.segments as f64 * price_per_segment;
    (raw * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm7_limits() {
        let s = segments(&"a".repeat(160));
        assert_eq!((s.encoding, s.units, s.segments), (Encoding::Gsm7, 160, 1));
        assert_eq!(segments(&"a".repeat(161)).segments, 2);
        assert_eq!(segments(&"a".repeat(306)).segments, 2);
        assert_eq!(segments(&"a".repeat(307)).segments, 3);
        assert_eq!(segments("").segments, 0);
    }

    #[test]
    fn extension_characters_count_twice_and_do_not_split() {
        let s = segments(&"€".repeat(80));
        assert_eq!((s.encoding, s.units, s.segments), (Encoding::Gsm7, 160, 1));
        assert_eq!(segments(&"€".repeat(81)).segments, 2);
        // 152 septets then an escape pair: the pair moves to segment 2.
        let text = format!("{}{{{}", "a".repeat(152), "a".repeat(10));
        assert_eq!(segments(&text).units, 164);
        assert_eq!(segments(&text).segments, 2);
    }

    #[test]
    fn vietnamese_is_ucs2_until_stripped() {
        let text = "Chúc mừng sinh nhật Quý khách! Đặt phòng tại Sen Hotel Hội An.";
        let s = segments(text);
        assert_eq!(s.encoding, Encoding::Ucs2);
        assert_eq!(s.units, text.chars().count());
        let plain = strip_diacritics(text);
        assert_eq!(
            plain,
            "Chuc mung sinh nhat Quy khach! Dat phong tai Sen Hotel Hoi An."
        );
        assert_eq!(segments(&plain).encoding, Encoding::Gsm7);
    }

    #[test]
    fn ucs2_limits_count_utf16_units() {
        assert_eq!(segments(&"好".repeat(70)).segments, 1);
        assert_eq!(segments(&"好".repeat(71)).segments, 2);
        assert_eq!(segments(&"好".repeat(134)).segments, 2);
        assert_eq!(segments(&"好".repeat(135)).segments, 3);
        let emoji = segments("🎉");
        assert_eq!((emoji.units, emoji.segments), (2, 1));
    }

    #[test]
    fn cost_is_segments_times_price() {
        let s = segments(&"好".repeat(71));
        assert!((estimate_cost(s, 0.0125) - 0.025).abs() < 1e-9);
    }
}
