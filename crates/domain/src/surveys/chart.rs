//! A question's results as a server-rendered SVG bar chart that a manager
//! can put in a report: one horizontal bar per option with its count and
//! percentage, a title, a caption line, and `<title>`/`<desc>` for screen
//! readers. No script, no external font or style.

use std::fmt::Write;

use crate::Language;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
    /// Share in tenths of a percent (see `tally`).
    pub tenths: u64,
}

const WIDTH: u32 = 720;
const LABEL_WIDTH: u32 = 240;
const BAR_AREA: u32 = 360;
const ROW: u32 = 34;
const TOP: u32 = 70;

/// The chart: `title` (the question), `caption` (e.g. answers and average)
/// and `bars`, with `lang` on the root element.
pub fn bar_chart(title: &str, caption: &str, bars: &[Bar], language: Language) -> String {
    let rows = u32::try_from(bars.len()).unwrap_or(u32::MAX / ROW);
    let height = TOP + rows * ROW + 20;
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {} ({})", b.label, b.count, percent_label(b.tenths)))
        .collect();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"t d\" lang=\"{lang}\" \
         font-family=\"'Noto Sans','Noto Sans TC',Arial,sans-serif\" font-size=\"14\">\
         <title id=\"t\">{title}</title><desc id=\"d\">{desc}</desc>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
         <text x=\"16\" y=\"28\" font-size=\"17\" font-weight=\"bold\" fill=\"#1d2733\">{title}</text>\
         <text x=\"16\" y=\"52\" fill=\"#5b6776\">{caption}</text>",
        lang = language.as_str(),
        title = escape(title),
        desc = escape(&desc.join("; ")),
        caption = escape(caption),
    );
    for (bar, row) in bars.iter().zip(0u32..) {
        let y = TOP + row * ROW;
        let length = u32::try_from(u64::from(BAR_AREA) * bar.tenths.min(1000) / 1000).unwrap_or(0);
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"#1d2733\">{label}</text>\
             <rect x=\"{bx}\" y=\"{y}\" width=\"{BAR_AREA}\" height=\"22\" fill=\"#eef1f4\"/>\
             <rect x=\"{bx}\" y=\"{y}\" width=\"{length}\" height=\"22\" fill=\"#0f5c6e\"/>\
             <text x=\"{vx}\" y=\"{ty}\" fill=\"#1d2733\">{count} · {pct}</text>",
            lx = LABEL_WIDTH - 8,
            ty = y + 16,
            bx = LABEL_WIDTH,
            vx = LABEL_WIDTH + BAR_AREA + 10,
            label = escape(&shorten(&bar.label, 30)),
            count = bar.count,
            pct = percent_label(bar.tenths),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// `425` → `42.5%`.
pub fn percent_label(tenths: u64) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut short: String = label.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_and_text_escaped() {
        let svg = bar_chart(
            "Phòng <của> Quý khách?",
            "3 câu trả lời",
            &[
                Bar {
                    label: "Tốt & sạch".into(),
                    count: 2,
                    tenths: 667,
                },
                Bar {
                    label: "Kém".into(),
                    count: 1,
                    tenths: 333,
                },
            ],
            Language::Vi,
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("lang=\"vi\""));
        assert!(svg.contains("Phòng &lt;của&gt; Quý khách?"));
        assert!(svg.contains("Tốt &amp; sạch"));
        assert!(svg.contains("2 · 66.7%"));
        assert!(svg.contains("width=\"240\" height=\"22\" fill=\"#0f5c6e\""));
        assert!(!svg.contains("<script"));
    }
}
