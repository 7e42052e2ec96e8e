//! The fixed texts of the survey page in each language.

use super::super::layout::Localized;

pub const SUBMIT: Localized = Localized {
    vi: "Gửi câu trả lời",
    en: "Send my answers",
    zh_hant: "送出回答",
};
pub const REQUIRED: Localized = Localized {
    vi: "(bắt buộc)",
    en: "(required)",
    zh_hant: "（必答）",
};
pub const INTRO: Localized = Localized {
    vi: "Câu hỏi có đánh dấu (bắt buộc) cần được trả lời. Cảm ơn Quý khách đã dành thời gian.",
    en: "Questions marked (required) need an answer. Thank you for your time.",
    zh_hant: "標示（必答）的題目需要作答。感謝您撥冗填寫。",
};
pub const EDITING: Localized = Localized {
    vi: "Quý khách đã trả lời khảo sát này. Quý khách có thể sửa câu trả lời và gửi lại.",
    en: "You have already answered this survey. You can change your answers and send them again.",
    zh_hant: "您已填寫過此問卷，可修改答案後重新送出。",
};
pub const UNTIL: Localized = Localized {
    vi: "Khảo sát nhận câu trả lời đến hết ngày {date}.",
    en: "The survey accepts answers until {date}.",
    zh_hant: "問卷開放作答至 {date}。",
};
pub const THANKS_TITLE: Localized = Localized {
    vi: "Cảm ơn Quý khách",
    en: "Thank you",
    zh_hant: "感謝您的回覆",
};
pub const THANKS_TEXT: Localized = Localized {
    vi: "Câu trả lời của Quý khách đã được ghi nhận. Nếu muốn sửa, Quý khách chỉ cần mở lại liên kết trong email.",
    en: "Your answers have been recorded. To change them, just open the link in the e-mail again.",
    zh_hant: "我們已收到您的回答。如需修改，只要再次開啟郵件中的連結即可。",
};
pub const CLOSED_TITLE: Localized = Localized {
    vi: "Khảo sát đã kết thúc",
    en: "This survey has closed",
    zh_hant: "問卷已截止",
};
pub const CLOSED_TEXT: Localized = Localized {
    vi: "Cảm ơn Quý khách đã quan tâm. Khảo sát này không còn nhận câu trả lời.",
    en: "Thank you for your interest. This survey no longer accepts answers.",
    zh_hant: "感謝您的關注，此問卷已不再接受回答。",
};
pub const ERRORS: Localized = Localized {
    vi: "Vui lòng kiểm tra lại các câu sau:",
    en: "Please check these questions:",
    zh_hant: "請檢查以下題目：",
};
pub const QUESTION: Localized = Localized {
    vi: "Câu {n}",
    en: "Question {n}",
    zh_hant: "第 {n} 題",
};
pub const MISSING: Localized = Localized {
    vi: "Vui lòng trả lời câu hỏi này.",
    en: "Please answer this question.",
    zh_hant: "請回答此題。",
};
pub const INVALID: Localized = Localized {
    vi: "Câu trả lời này không hợp lệ, vui lòng chọn lại.",
    en: "This answer is not valid; please choose again.",
    zh_hant: "此回答無效，請重新選擇。",
};
pub const TOO_LONG: Localized = Localized {
    vi: "Câu trả lời quá dài (tối đa 4000 ký tự).",
    en: "This answer is too long (4000 characters at most).",
    zh_hant: "回答過長（最多 4000 字）。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use guestcare_domain::Language;
    use unicode_normalization::is_nfc;

    #[test]
    fn texts_are_nfc_and_vietnamese_has_its_marks() {
        let all = [
            SUBMIT,
            REQUIRED,
            INTRO,
            EDITING,
            UNTIL,
            THANKS_TITLE,
            THANKS_TEXT,
            CLOSED_TITLE,
            CLOSED_TEXT,
            ERRORS,
            QUESTION,
            MISSING,
            INVALID,
            TOO_LONG,
        ];
        for text in all {
            for language in Language::ALL {
                assert!(is_nfc(text.get(language)), "{}", text.get(language));
            }
            assert!(!text.vi.is_ascii(), "{}", text.vi);
        }
    }
}
