//! Every built-in text parses, validates for its purpose, renders with the
//! sample context, is NFC, and is written in the right script.

use unicode_normalization::is_nfc;

use super::{
    Channel, Content, Context, Purpose, Rendered, builtin, builtin_files::FILES, render, validate,
};
use crate::Language;

/// Characters that exist only in Simplified Chinese; Traditional text must
/// use 們 這 來 時 會 對 為 發 謝 歡 節 樂 … instead.
const SIMPLIFIED_ONLY: &str = "们这来时会对为发谢欢节乐个国说门问间关开过还动员务经预订优礼庆馈应买卖让认请谁读给网电话号码单钱点样现实与带东华邮验满调评确询联络处复见贺觉诚挚献赠择诞纪愿亲据签约费额";

/// Letters only Vietnamese with diacritics has.
fn has_vietnamese_diacritics(text: &str) -> bool {
    text.chars().any(|c| {
        "ăâđêôơưĂÂĐÊÔƠƯàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵếềểễệốồổỗộớờởỡợứừửữựấầẩẫậắằẳẵặ".contains(c)
    })
}

fn all() -> impl Iterator<Item = (Purpose, Channel, Language, Content)> {
    Purpose::ALL.into_iter().flat_map(|purpose| {
        Channel::ALL.into_iter().flat_map(move |channel| {
            Language::ALL.into_iter().map(move |language| {
                let content = builtin(purpose, channel, language)
                    .unwrap_or_else(|| panic!("missing {purpose}/{channel}/{language}"));
                (purpose, channel, language, content)
            })
        })
    })
}

#[test]
fn every_combination_ships() {
    assert_eq!(FILES.len(), 60);
    assert_eq!(all().count(), 60);
}

#[test]
fn every_builtin_validates_and_renders() {
    for (purpose, channel, language, content) in all() {
        let name = format!("{purpose}/{channel}/{language}");
        assert_eq!(content.channel(), channel, "{name}");
        if let Err(errors) = validate(purpose, language, &content) {
            panic!("{name}: {errors}");
        }
        let rendered = render(&content, language, &Context::sample(purpose, language))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let texts: Vec<String> = match rendered {
            Rendered::Email(mail) => {
                assert!(!mail.subject.is_empty(), "{name}");
                assert!(mail.html.starts_with("<!doctype html>"), "{name}");
                vec![mail.subject, mail.html, mail.text]
            }
            Rendered::Sms { body, .. } => vec![body],
        };
        let all = texts.join("\n");
        assert!(!all.contains("{{") && !all.contains("{%"), "{name}: {all}");
        assert!(all.contains("Sen Hotel Hội An"), "{name} names the hotel");
        if purpose.is_marketing() {
            assert!(
                all.contains("/unsubscribe_url"),
                "{name} links to unsubscribe"
            );
        }
    }
}

#[test]
fn sources_are_nfc_and_in_the_right_script() {
    for (purpose, channel, language, content) in all() {
        let name = format!("{purpose}/{channel}/{language}");
        for (part, source) in content.parts() {
            assert!(is_nfc(source), "{name}.{part} is not NFC");
            // The text around the variables.
            let words: String = source
                .split("{{")
                .map(|s| s.rsplit("}}").next().unwrap_or(s))
                .collect();
            match language {
                Language::Vi => assert!(has_vietnamese_diacritics(&words), "{name}.{part}"),
                Language::ZhHant => {
                    assert!(
                        words
                            .chars()
                            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    );
                    let simplified: String = words
                        .chars()
                        .filter(|c| SIMPLIFIED_ONLY.contains(*c))
                        .collect();
                    assert!(simplified.is_empty(), "{name}.{part}: {simplified}");
                }
                Language::En => assert!(!has_vietnamese_diacritics(&words), "{name}.{part}"),
            }
        }
    }
}

#[test]
fn vietnamese_greets_neutrally_and_dates_follow_the_language() {
    let purpose = Purpose::BookingConfirmation;
    let render_sms = |language| {
        let content = builtin(purpose, Channel::Sms, language).unwrap();
        render(&content, language, &Context::sample(purpose, language))
            .unwrap()
            .body()
            .unwrap()
            .to_owned()
    };
    assert!(render_sms(Language::Vi).contains("nhận phòng 28/12/2026"));
    assert!(render_sms(Language::Vi).contains("4.500.000 ₫"));
    assert!(render_sms(Language::En).contains("Check-in 28 December 2026"));
    assert!(render_sms(Language::ZhHant).contains("2026年12月28日入住"));
    let birthday = builtin(Purpose::Birthday, Channel::Email, Language::Vi).unwrap();
    let Rendered::Email(mail) = render(
        &birthday,
        Language::Vi,
        &Context::sample(Purpose::Birthday, Language::Vi),
    )
    .unwrap() else {
        panic!("email expected")
    };
    assert!(mail.html.contains("Kính gửi Quý khách Nguyễn Văn An,"));
}

#[test]
fn optional_paragraphs_leave_no_gaps_in_plain_text() {
    for (purpose, channel, language, content) in all() {
        if channel != Channel::Email {
            continue;
        }
        let mut context = Context::sample(purpose, language);
        for optional in [
            "voucher_code",
            "valid_until",
            "reference",
            "ticket_number",
            "agent_name",
            "offer_url",
            "dashboard_url",
            "unsubscribe_url",
        ] {
            context.extra.remove(optional);
        }
        context.tenant.phone.clear();
        let Rendered::Email(mail) = render(&content, language, &context).unwrap() else {
            panic!("email expected")
        };
        assert!(
            !mail.text.contains("\n\n\n"),
            "{purpose}/{language}: {}",
            mail.text
        );
    }
}

#[test]
fn reminders_without_a_stay_name_the_rule_and_its_date() {
    for language in [Language::Vi, Language::En, Language::ZhHant] {
        for channel in [Channel::Email, Channel::Sms] {
            let mut context = Context::sample(Purpose::Reminder, language);
            for stay in ["check_in", "check_out", "booking_reference"] {
                context.extra.remove(stay);
            }
            let content = builtin(Purpose::Reminder, channel, language).unwrap();
            let text = match render(&content, language, &context).unwrap() {
                Rendered::Email(mail) => format!("{}\n{}\n{}", mail.subject, mail.text, mail.html),
                Rendered::Sms { body, .. } => body,
            };
            assert!(
                text.contains("Gia hạn thẻ thành viên"),
                "{language}/{channel}: {text}"
            );
            assert!(text.contains("2027"), "{language}/{channel}: {text}");
            assert!(!text.contains("  "), "{language}/{channel}: {text}");
        }
    }
}
