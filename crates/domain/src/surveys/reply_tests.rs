use super::*;
use crate::surveys::definition::Texts;

fn texts(en: &str, vi: &str, zh: &str) -> Texts {
    [
        (Language::En, en.to_owned()),
        (Language::Vi, vi.to_owned()),
        (Language::ZhHant, zh.to_owned()),
    ]
    .into()
}

fn survey() -> Definition {
    let q = |kind, options: Vec<Texts>| Question {
        text: texts("Q", "Câu hỏi", "問題"),
        kind,
        required: false,
        options,
    };
    Definition {
        title: texts("Survey", "Khảo sát", "問卷"),
        questions: vec![
            q(
                QuestionType::SingleChoice,
                vec![
                    texts("Yes", "Có", "是"),
                    texts("No", "Không", "否"),
                    texts("Maybe", "Có thể", "也許"),
                ],
            ),
            q(
                QuestionType::MultipleChoice,
                vec![
                    texts("Pool", "Hồ bơi", "泳池"),
                    texts("Spa", "Spa", "水療"),
                    texts("Restaurant", "Nhà hàng", "餐廳"),
                ],
            ),
            q(QuestionType::FreeText, vec![]),
            q(QuestionType::RatingNumbers, vec![]),
            q(QuestionType::RatingWords, vec![]),
        ],
    }
}

#[test]
fn an_english_reply_with_quote_and_signature() {
    let text = "Hi,\r\n\r\n1: B\r\n2: A, C\r\n3: The room was lovely.\r\nBreakfast could start earlier.\r\n4: 4/5\r\n5: a\r\n\r\n-- \r\nJane\r\n\r\n> 1. Would you come back?\r\n";
    let parsed = parse_reply(text, &survey());
    assert_eq!(
        parsed.answers,
        [
            (1, Answer::Choices(vec![1])),
            (2, Answer::Choices(vec![0, 2])),
            (
                3,
                Answer::Text("The room was lovely.\nBreakfast could start earlier.".into())
            ),
            (4, Answer::Rating(4)),
            (5, Answer::Rating(4)),
        ]
        .into()
    );
    assert!(parsed.problems.is_empty());
    assert_eq!(parsed.remarks, vec!["Hi,".to_owned()]);
}

#[test]
fn a_vietnamese_reply_with_full_width_and_marked_letters() {
    let text = "Câu 1: â\nCâu ２：Ａ và Ｃ\nCâu 3. Nhân viên rất nhiệt tình, phòng sạch sẽ.\n5: Tốt\n\nVào 10:00 Th 3, 1 thg 12, 2026 Khách sạn <a@b.vn> đã viết:\n> 1. ...";
    let parsed = parse_reply(text, &survey());
    assert_eq!(parsed.answers[&1], Answer::Choices(vec![0]));
    assert_eq!(parsed.answers[&2], Answer::Choices(vec![0, 2]));
    assert_eq!(
        parsed.answers[&3],
        Answer::Text("Nhân viên rất nhiệt tình, phòng sạch sẽ.".into())
    );
    assert_eq!(parsed.answers[&5], Answer::Rating(3));
    assert!(parsed.problems.is_empty());
}

#[test]
fn a_chinese_reply_and_an_outlook_quote() {
    let text =
        "第1題：否\n2、Ｂ，Ｃ\n3：服務很好，謝謝！\n\n於 2026年12月1日 週二 飯店 寫道：\n1. ...";
    let parsed = parse_reply(text, &survey());
    assert_eq!(parsed.answers[&1], Answer::Choices(vec![1]));
    assert_eq!(parsed.answers[&2], Answer::Choices(vec![1, 2]));
    assert_eq!(parsed.answers[&3], Answer::Text("服務很好，謝謝！".into()));
    let outlook = "1: C\n\n-----Original Message-----\nFrom: Hotel\n2: A\n";
    let parsed = parse_reply(outlook, &survey());
    assert_eq!(parsed.answers.len(), 1);
}

#[test]
fn what_does_not_fit_is_a_problem_or_a_remark() {
    let text = "1: A, B\n2: Z\n4: 9\n7: A\n3 nights were not enough\nThanks!";
    let parsed = parse_reply(text, &survey());
    assert!(parsed.answers.is_empty(), "{:?}", parsed.answers);
    assert_eq!(
        parsed.problems,
        vec![
            (1, Problem::Invalid),
            (2, Problem::Invalid),
            (4, Problem::Invalid),
            (7, Problem::NoSuchQuestion)
        ]
    );
    assert_eq!(
        parsed.remarks,
        vec!["3 nights were not enough".to_owned(), "Thanks!".to_owned()]
    );
}

#[test]
fn a_bare_number_and_letter_is_read_when_it_fits() {
    let parsed = parse_reply("1 B\n5 D\n", &survey());
    assert_eq!(parsed.answers[&1], Answer::Choices(vec![1]));
    assert_eq!(parsed.answers[&5], Answer::Rating(1));
}
