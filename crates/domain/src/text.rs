//! Text normalisation for Vietnamese and Chinese.
//!
//! Everything guests type is stored in Unicode NFC so that the same name typed
//! on two keyboards (precomposed `ễ` or `e` + combining marks) is one string.
//! Search compares a folded form: lower case, no diacritics, `đ` as `d`, and
//! white space collapsed, so `nguyen van a` finds `Nguyễn Văn A`.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The NFC form of `s`, trimmed, with inner white-space runs collapsed to one
/// space.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    collapse_whitespace(&nfc)
}

/// The NFC form of `s`, white space kept as it is (for multi-line texts such
/// as templates).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The search key of `s`: NFD, combining marks dropped, `đ`/`Đ` → `d`,
/// lower-cased, white space collapsed. Chinese characters pass unchanged.
pub fn fold(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    collapse_whitespace(&stripped)
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_composes_decomposed_vietnamese() {
        let decomposed = "Nguye\u{302}\u{303}n  Va\u{306}n A ";
        assert_eq!(clean(decomposed), "Nguyễn Văn A");
    }

    #[test]
    fn fold_strips_tones_and_case() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("ĐẶNG THỊ Ơn"), "dang thi on");
        assert_eq!(fold("陳美玲"), "陳美玲");
    }
}
