//! Render throughput of a built-in template, for `bench/templates/run.sh`.
//!
//! `template_bench [ITERATIONS] [EXPORT.json]` renders the Vietnamese
//! booking-confirmation e-mail (subject, HTML with auto-escaping, text)
//! ITERATIONS times against the sample context, after compiling it once,
//! and prints one line: `renders_per_sec bytes_per_render`. With EXPORT, it
//! first writes the template parts and the context as JSON so that a peer
//! engine can render exactly the same input.

use std::{error::Error, time::Instant};

use guestcare_domain::{
    Language,
    templates::{Channel, Content, Context, Purpose, Rendered, builtin, compile},
};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let iterations: u32 = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let export = args.next();
    let (purpose, language) = (Purpose::BookingConfirmation, Language::Vi);
    let content = builtin(purpose, Channel::Email, language).ok_or("no built-in template")?;
    let context = Context::sample(purpose, language);
    if let Some(path) = export {
        let Content::Email {
            subject,
            html,
            text,
        } = &content
        else {
            return Err("an e-mail template was expected".into());
        };
        let mut scope = serde_json::to_value(&context)?;
        if let Some(map) = scope.as_object_mut() {
            map.insert("language".to_owned(), language.as_str().into());
        }
        let document = serde_json::json!({
            "subject": subject, "html": html, "text": text, "context": scope,
        });
        std::fs::write(path, serde_json::to_vec_pretty(&document)?)?;
    }
    let compiled = compile(&content, language)?;
    let size = |rendered: &Rendered| match rendered {
        Rendered::Email(mail) => mail.subject.len() + mail.html.len() + mail.text.len(),
        Rendered::Sms { body, .. } => body.len(),
    };
    let mut bytes = 0;
    for _ in 0..iterations / 10 {
        bytes = size(&compiled.render(&context)?);
    }
    let started = Instant::now();
    for _ in 0..iterations {
        bytes = size(&compiled.render(&context)?);
    }
    let rate = f64::from(iterations) / started.elapsed().as_secs_f64();
    println!("{rate:.0} {bytes}");
    Ok(())
}
