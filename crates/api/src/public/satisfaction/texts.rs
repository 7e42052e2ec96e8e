//! The satisfaction pages' texts in Vietnamese, English and Traditional
//! Chinese.

use guestcare_domain::tickets::Rating;

use crate::public::Localized;

pub(super) const FORM_TITLE: Localized = Localized {
    vi: "Quý khách có hài lòng với sự hỗ trợ của chúng tôi?",
    en: "How did we do?",
    zh_hant: "您對我們的協助滿意嗎？",
};
pub(super) const FORM_TEXT: Localized = Localized {
    vi: "Xin Quý khách cho {tenant} biết mức độ hài lòng với cách chúng tôi xử lý yêu cầu {number}.",
    en: "Please tell {tenant} how satisfied you are with how we handled request {number}.",
    zh_hant: "請告訴{tenant}您對我們處理案件 {number} 的滿意程度。",
};
pub(super) const LEGEND: Localized = Localized {
    vi: "Mức độ hài lòng",
    en: "Your rating",
    zh_hant: "滿意度",
};
pub(super) const COMMENT: Localized = Localized {
    vi: "Góp ý thêm (không bắt buộc)",
    en: "Anything you would like to add (optional)",
    zh_hant: "其他意見（選填）",
};
pub(super) const SUBMIT: Localized = Localized {
    vi: "Gửi đánh giá",
    en: "Send my rating",
    zh_hant: "送出評分",
};
pub(super) const MISSING: Localized = Localized {
    vi: "Vui lòng chọn một mức đánh giá.",
    en: "Please choose a rating.",
    zh_hant: "請選擇一個評分。",
};
pub(super) const THANKS_TITLE: Localized = Localized {
    vi: "Cảm ơn Quý khách",
    en: "Thank you",
    zh_hant: "謝謝您",
};
pub(super) const THANKS_TEXT: Localized = Localized {
    vi: "{tenant} đã nhận được đánh giá của Quý khách. Ý kiến của Quý khách giúp chúng tôi phục vụ tốt hơn.",
    en: "{tenant} has received your rating. It helps us serve you better.",
    zh_hant: "{tenant}已收到您的評分，您的意見能幫助我們提供更好的服務。",
};
pub(super) const ALREADY_TITLE: Localized = Localized {
    vi: "Quý khách đã đánh giá",
    en: "You have rated this already",
    zh_hant: "您已評分",
};
pub(super) const ALREADY_TEXT: Localized = Localized {
    vi: "Yêu cầu {number} đã được đánh giá. Cảm ơn Quý khách.",
    en: "Request {number} has been rated already. Thank you.",
    zh_hant: "案件 {number} 已經評分過了，謝謝您。",
};

pub(super) fn rating_name(rating: Rating) -> Localized {
    match rating {
        Rating::Excellent => Localized {
            vi: "Rất tốt",
            en: "Excellent",
            zh_hant: "非常滿意",
        },
        Rating::Good => Localized {
            vi: "Tốt",
            en: "Good",
            zh_hant: "滿意",
        },
        Rating::Fair => Localized {
            vi: "Bình thường",
            en: "Fair",
            zh_hant: "普通",
        },
        Rating::Poor => Localized {
            vi: "Kém",
            en: "Poor",
            zh_hant: "不滿意",
        },
    }
}

#[cfg(test)]
mod tests {
    use unicode_normalization::is_nfc;

    use guestcare_domain::Language;

    use super::*;

    #[test]
    fn texts_are_nfc_and_vietnamese_has_its_marks() {
        let mut all = vec![
            FORM_TITLE,
            FORM_TEXT,
            LEGEND,
            COMMENT,
            SUBMIT,
            MISSING,
            THANKS_TITLE,
            THANKS_TEXT,
            ALREADY_TITLE,
            ALREADY_TEXT,
        ];
        all.extend(Rating::ALL.iter().map(|r| rating_name(*r)));
        for text in all {
            for language in [Language::Vi, Language::En, Language::ZhHant] {
                assert!(is_nfc(text.get(language)), "{}", text.get(language));
            }
            assert!(!text.vi.is_ascii(), "{}", text.vi);
        }
    }
}
