//! Tracked links and the open pixel. Before a campaign's HTML is compiled
//! for sending, every `href="http(s)://…"` written literally in it becomes
//! `{{ extra.link_N }}` and, when opens are tracked, a 1×1 image
//! `{{ extra.open_url }}` is added; the sender fills those per guest with
//! signed `/c/` and `/o/` URLs (`signed_token::CampaignLink`). The redirect
//! only ever goes to the `N`-th target of the campaign's own HTML, so a
//! tracked link cannot be made to point anywhere else.

/// The template variable of the `index`-th tracked link.
pub fn link_variable(index: usize) -> String {
    format!("link_{index}")
}

/// The template variable of the open pixel's URL.
pub const OPEN_VARIABLE: &str = "open_url";

/// The distinct http(s) targets written literally as `href="…"` in `html`,
/// in order of first appearance (targets with template syntax are left
/// alone: they differ per guest).
pub fn link_targets(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (_, target) in hrefs(html) {
        if !found.iter().any(|f| f == target) {
            found.push(target.to_owned());
        }
    }
    found
}

/// The tracked targets of a whole campaign: every variant's, in language
/// order, each once. A link's index is its place here.
pub fn campaign_targets(variants: &super::Variants) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for variant in variants.values() {
        for target in link_targets(&variant.html) {
            if !found.contains(&target) {
                found.push(target);
            }
        }
    }
    found
}

/// Where a tracked target sends the browser: the `href` value as written
/// in HTML, with its character references for `&` undone.
pub fn redirect_target(target: &str) -> String {
    target.replace("&amp;", "&").replace("&#38;", "&")
}

/// `html` with each target of `targets` replaced by its variable, and the
/// open pixel added before `</body>` (or at the end) when `pixel`.
pub fn tracked_html(html: &str, targets: &[String], pixel: bool) -> String {
    let mut out = String::with_capacity(html.len() + 128);
    let mut rest = 0;
    for (start, target) in hrefs(html) {
        if let Some(index) = targets.iter().position(|t| t == target) {
            out.push_str(&html[rest..start]);
            out.push_str(&format!("{{{{ extra.{} }}}}", link_variable(index)));
            rest = start + target.len();
        }
    }
    out.push_str(&html[rest..]);
    if pixel {
        let img = format!(
            "<img src=\"{{{{ extra.{OPEN_VARIABLE} }}}}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"
        );
        match out.rfind("</body>") {
            Some(at) => out.insert_str(at, &img),
            None => out.push_str(&img),
        }
    }
    out
}

/// `(offset, target)` of each literal http(s) `href="…"` value.
fn hrefs(html: &str) -> impl Iterator<Item = (usize, &str)> {
    html.match_indices("href=\"")
        .filter_map(move |(at, prefix)| {
            let start = at + prefix.len();
            let rest = html.get(start..)?;
            let target = &rest[..rest.find('"')?];
            let web = target.starts_with("https://") || target.starts_with("http://");
            (web && !target.contains("{{") && !target.contains("{%")).then_some((start, target))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_web_links_become_variables_and_the_pixel_is_added() {
        let html = "<body><a href=\"https://resort.example/villa?a=1&amp;b=2\">Villa</a> \
                    <a href=\"mailto:x@example.com\">x</a> <a href=\"{{ extra.unsubscribe_url }}\">u</a> \
                    <a href=\"https://resort.example/villa?a=1&amp;b=2\">again</a>\
                    <a href=\"http://old.example/\">old</a></body>";
        let targets = link_targets(html);
        assert_eq!(
            targets,
            [
                "https://resort.example/villa?a=1&amp;b=2",
                "http://old.example/"
            ]
        );
        let tracked = tracked_html(html, &targets, true);
        assert_eq!(tracked.matches("{{ extra.link_0 }}").count(), 2);
        assert!(tracked.contains("href=\"{{ extra.link_1 }}\""));
        assert!(tracked.contains("mailto:x@example.com"));
        assert!(tracked.contains("{{ extra.unsubscribe_url }}"));
        assert!(tracked.ends_with("style=\"display:none\"></body>"));
        assert_eq!(tracked_html("<p>x</p>", &[], false), "<p>x</p>");
    }
}
