//! The words of birthday calls: the task's title in the staff's language
//! and the call script in the guest's (happy birthday, and an invitation to
//! come back soon). Vietnamese is NFC with its diacritics; Chinese is
//! Traditional, as written in Taiwan.

use crate::Language;

/// The task title, e.g. `Gọi chúc mừng sinh nhật Trần Thị Mai`.
pub fn birthday_title(staff_language: Language, full_name: &str) -> String {
    match staff_language {
        Language::Vi => format!("Gọi chúc mừng sinh nhật {full_name}"),
        Language::En => format!("Birthday call: {full_name}"),
        Language::ZhHant => format!("生日祝賀電話：{full_name}"),
    }
}

/// What to say on the call.
pub fn birthday_call(language: Language, full_name: &str, tenant: &str) -> String {
    match language {
        Language::Vi => format!(
            "Kính chào Quý khách {full_name}, {tenant} xin gửi lời chúc mừng sinh nhật chân \
             thành nhất: chúc Quý khách tuổi mới thật nhiều sức khỏe, niềm vui và hạnh phúc. \
             Chúng tôi rất mong sớm được đón Quý khách quay trở lại — khi có dịp, Quý khách cứ \
             liên hệ để chúng tôi chuẩn bị thật chu đáo."
        ),
        Language::En => format!(
            "Hello {full_name}, this is {tenant}. Happy birthday! We wish you a wonderful year \
             ahead, full of health and happiness. We would love to welcome you back soon — \
             just let us know when you plan your next stay and we will make it special."
        ),
        Language::ZhHant => format!(
            "{full_name} 貴賓您好，這裡是{tenant}。祝您生日快樂，新的一歲身體健康、萬事如意！\
             我們期待很快再次歡迎您光臨，規劃下次行程時請隨時與我們聯繫，我們將為您用心準備。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use unicode_normalization::is_nfc;

    use super::*;

    /// Characters that exist only in Simplified Chinese (a sample of the
    /// commonest).
    const SIMPLIFIED_ONLY: &str = "们这来时会对为发谢欢节乐个国说门问间关开过还动员务经预订优礼庆馈应买卖让认请谁读给网电话号码单钱点样现实与带东华邮验满调评确询联络处复见贺觉诚挚献赠择诞纪愿亲据签约费额岁体万规联备";

    #[test]
    fn scripts_are_nfc_vietnamese_and_traditional_chinese() {
        for language in [Language::Vi, Language::En, Language::ZhHant] {
            let script = birthday_call(language, "Trần Thị Mai", "Lotus Resort");
            let title = birthday_title(language, "Trần Thị Mai");
            assert!(is_nfc(&script) && is_nfc(&title));
            assert!(script.contains("Trần Thị Mai"));
        }
        let vi = birthday_call(Language::Vi, "An", "Lotus");
        assert!(vi.contains("chúc mừng sinh nhật") && vi.contains("quay trở lại"));
        let zh = birthday_call(Language::ZhHant, "林美", "蓮花度假村");
        assert!(zh.contains("生日快樂") && zh.contains("再次歡迎"));
        assert!(!zh.chars().any(|c| SIMPLIFIED_ONLY.contains(c)), "{zh}");
        assert!(
            !birthday_title(Language::ZhHant, "林美")
                .chars()
                .any(|c| SIMPLIFIED_ONLY.contains(c))
        );
    }
}
