//! The CSV form of survey results.

use guestcare_domain::surveys::results::GroupResults;

/// UTF-8 with a BOM (spreadsheet programs then read Vietnamese and Chinese
/// correctly); columns `group, question, question_text, type, answered,
/// average, code, option, count, percent, text`.
pub(super) fn render(groups: &[GroupResults]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record([
        "group",
        "question",
        "question_text",
        "type",
        "answered",
        "average",
        "code",
        "option",
        "count",
        "percent",
        "text",
    ])?;
    for group in groups {
        let key = group.key.clone().unwrap_or_default();
        for q in &group.questions {
            let head = [
                key.clone(),
                q.number.to_string(),
                q.text.clone(),
                q.kind.as_str().to_owned(),
                q.answered.to_string(),
                q.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
            ];
            for o in &q.options {
                let tail = [
                    o.code.clone(),
                    o.label.clone(),
                    o.count.to_string(),
                    format!("{:.1}", o.percent),
                    String::new(),
                ];
                out.write_record(head.iter().chain(&tail))?;
            }
            for text in &q.texts {
                let tail = [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    text.clone(),
                ];
                out.write_record(head.iter().chain(&tail))?;
            }
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
