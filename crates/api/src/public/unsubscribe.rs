//! `/u/{token}`: the unsubscribe link of marketing e-mail and SMS.
//!
//! `GET` only shows a confirmation page with a button (mail scanners and
//! link previews follow links, so opening it changes nothing). `POST` — the
//! page's form, or a mail client's RFC 8058 one-click
//! `List-Unsubscribe=One-Click` — withdraws the guest's marketing consent on
//! the link's channel and answers a confirmation; it is idempotent. Pages
//! are in the guest's language. A token that does not verify, or names no
//! guest, answers the same 404 page.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use guestcare_db::{consents, guests, messages, tenants};
use guestcare_domain::{
    Language,
    guest::{ConsentChannel, ConsentPurpose},
    signed_token::Unsubscribe,
};

use super::layout::{Localized, Markup, escape, page};
use crate::{db, error::ApiError, state::AppState};

const CONFIRM_TITLE: Localized = Localized {
    vi: "Hủy đăng ký nhận tin",
    en: "Unsubscribe",
    zh_hant: "取消訂閱",
};
const CONFIRM_TEXT: Localized = Localized {
    vi: "Quý khách sẽ không nhận {channel} quảng cáo, ưu đãi và lời chúc từ {tenant} nữa. Thông tin về đặt phòng và lưu trú của Quý khách vẫn được gửi như thường.",
    en: "You will no longer receive marketing {channel} — offers and greetings — from {tenant}. Messages about your bookings and stays will still reach you.",
    zh_hant: "您將不再收到{tenant}的行銷{channel}（優惠與節日問候）。與您訂房及住宿相關的通知仍會照常寄送。",
};
const CONFIRM_BUTTON: Localized = Localized {
    vi: "Xác nhận hủy đăng ký",
    en: "Unsubscribe",
    zh_hant: "確認取消訂閱",
};
const DONE_TITLE: Localized = Localized {
    vi: "Đã hủy đăng ký",
    en: "You are unsubscribed",
    zh_hant: "已取消訂閱",
};
const DONE_TEXT: Localized = Localized {
    vi: "{tenant} sẽ không gửi {channel} quảng cáo cho Quý khách nữa. Nếu đổi ý, Quý khách có thể liên hệ khách sạn bất cứ lúc nào.",
    en: "{tenant} will not send you marketing {channel} any more. If you change your mind, just let the hotel know.",
    zh_hant: "{tenant}將不再寄送行銷{channel}給您。若您改變心意，歡迎隨時與飯店聯繫。",
};
const INVALID_TITLE: Localized = Localized {
    vi: "Liên kết không hợp lệ",
    en: "This link is not valid",
    zh_hant: "連結無效",
};
const INVALID_TEXT: Localized = Localized {
    vi: "Liên kết này không đầy đủ hoặc đã bị thay đổi. Vui lòng dùng đúng liên kết trong email, hoặc liên hệ khách sạn.",
    en: "This link is incomplete or has been changed. Please use the link from the e-mail exactly as it is, or contact the hotel.",
    zh_hant: "此連結不完整或已被更改。請使用郵件中的原始連結，或直接與飯店聯繫。",
};

fn channel_name(channel: ConsentChannel) -> Localized {
    match channel {
        ConsentChannel::Email => Localized {
            vi: "email",
            en: "e-mails",
            zh_hant: "電子郵件",
        },
        ConsentChannel::Sms => Localized {
            vi: "tin nhắn SMS",
            en: "text messages",
            zh_hant: "簡訊",
        },
        ConsentChannel::Phone => Localized {
            vi: "cuộc gọi",
            en: "calls",
            zh_hant: "電話",
        },
        ConsentChannel::Zalo => Localized {
            vi: "tin nhắn Zalo",
            en: "Zalo messages",
            zh_hant: "Zalo 訊息",
        },
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(confirm_unsubscribe).service(unsubscribe);
}

/// Who the link is for, as the pages need it.
struct Recipient {
    language: Language,
    tenant_name: String,
}

/// The confirmation page of an unsubscribe link; changes nothing.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String),
    )
)]
#[get("/u/{token}")]
async fn confirm_unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = open_link(&state, &token).await? else {
        return Ok(invalid(&req));
    };
    let found = db::run(&state.pool, move |conn| {
        let guest = guests::get_guest(conn, link.tenant_id, link.guest_id)?;
        recipient(conn, link.tenant_id, &guest)
    })
    .await;
    Ok(match found {
        Ok(r) => {
            let body = paragraph(&CONFIRM_TEXT, &link, &r).and(Markup::trusted(format!(
                "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
                 <button type=\"submit\">{}</button></form>",
                escape(CONFIRM_BUTTON.get(r.language)),
            )));
            page(
                StatusCode::OK,
                r.language,
                CONFIRM_TITLE.get(r.language),
                body,
            )
        }
        Err(ApiError::NotFound) => invalid(&req),
        Err(other) => return Err(other),
    })
}

/// Withdraws the consent the link names (the page's form, or RFC 8058
/// one-click with body `List-Unsubscribe=One-Click`) and confirms it.
/// Repeating it changes nothing more.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String),
    )
)]
#[post("/u/{token}")]
async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = open_link(&state, &token).await? else {
        return Ok(invalid(&req));
    };
    let done = db::transaction(&state.pool, move |conn| {
        let (guest, _) = consents::withdraw_by_link(
            conn,
            link.tenant_id,
            link.guest_id,
            link.channel,
            link.purpose,
        )?;
        recipient(conn, link.tenant_id, &guest)
    })
    .await;
    Ok(match done {
        Ok(r) => page(
            StatusCode::OK,
            r.language,
            DONE_TITLE.get(r.language),
            paragraph(&DONE_TEXT, &link, &r),
        ),
        Err(ApiError::NotFound) => invalid(&req),
        Err(other) => return Err(other),
    })
}

/// What `token` withdraws: a long token says it all; a short one (SMS)
/// names its message, whose guest and channel say the rest.
async fn open_link(
    state: &web::Data<AppState>,
    token: &str,
) -> Result<Option<Unsubscribe>, ApiError> {
    let links = state.guest_links();
    if let Some(link) = links.open_unsubscribe(token) {
        return Ok(Some(link));
    }
    let Some(message_id) = links.open_message_unsubscribe(token) else {
        return Ok(None);
    };
    db::run(&state.pool, move |conn| {
        let message = messages::find_linked_message(conn, message_id)?;
        Ok(message.and_then(|m| {
            Some(Unsubscribe {
                tenant_id: m.tenant_id,
                guest_id: m.guest_id?,
                channel: m.channel.parse().ok()?,
                purpose: ConsentPurpose::Marketing,
                message_id,
            })
        }))
    })
    .await
}

fn recipient(
    conn: &mut guestcare_db::PgConnection,
    tenant_id: uuid::Uuid,
    guest: &guests::Guest,
) -> Result<Recipient, ApiError> {
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let default = tenant.default_language.parse().unwrap_or(Language::En);
    Ok(Recipient {
        language: guestcare_db::messages::language_of(guest, default),
        tenant_name: tenant.name,
    })
}

/// `text` with the tenant and channel filled in, as a paragraph.
fn paragraph(text: &Localized, link: &Unsubscribe, r: &Recipient) -> Markup {
    let filled = text
        .get(r.language)
        .replace("{channel}", channel_name(link.channel).get(r.language))
        .replace("{tenant}", &r.tenant_name);
    Markup::trusted("<p>")
        .and(Markup::text(&filled))
        .and(Markup::trusted("</p>"))
}

/// The 404 page of a link that does not verify, in the language the
/// browser asks for first (every guest page and campaign link answers it).
pub(crate) fn invalid(req: &HttpRequest) -> HttpResponse {
    let language = preferred_language(
        req.headers()
            .get("Accept-Language")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let body = Markup::trusted("<p>")
        .and(Markup::text(INVALID_TEXT.get(language)))
        .and(Markup::trusted("</p>"));
    page(
        StatusCode::NOT_FOUND,
        language,
        INVALID_TITLE.get(language),
        body,
    )
}

/// The first of vi, zh, en in an `Accept-Language` list (quality values
/// ignored: browsers list the preferred first); English otherwise.
fn preferred_language(header: &str) -> Language {
    header
        .split(',')
        .filter_map(|tag| {
            let tag = tag.split(';').next()?.trim().to_ascii_lowercase();
            match tag.split('-').next()? {
                "vi" => Some(Language::Vi),
                "zh" => Some(Language::ZhHant),
                "en" => Some(Language::En),
                _ => None,
            }
        })
        .next()
        .unwrap_or(Language::En)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    #[test]
    fn texts_are_nfc_and_vietnamese_has_its_marks() {
        let all = [
            CONFIRM_TITLE,
            CONFIRM_TEXT,
            CONFIRM_BUTTON,
            DONE_TITLE,
            DONE_TEXT,
            INVALID_TITLE,
            INVALID_TEXT,
        ];
        for text in all {
            for language in [Language::Vi, Language::En, Language::ZhHant] {
                assert!(is_nfc(text.get(language)), "{}", text.get(language));
            }
            assert!(!text.vi.is_ascii(), "{}", text.vi);
        }
    }

    #[test]
    fn the_browser_language_picks_the_404_page() {
        assert_eq!(preferred_language("zh-TW,zh;q=0.9"), Language::ZhHant);
        assert_eq!(preferred_language("fr-FR, vi;q=0.8"), Language::Vi);
        assert_eq!(preferred_language(""), Language::En);
    }
}
