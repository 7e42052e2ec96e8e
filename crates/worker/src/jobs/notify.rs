//! Telling a tenant's owners that a webhook endpoint was disabled, by
//! e-mail in the tenant's language.

use diesel::PgConnection;
use guestcare_db::{
    messages::{self, NewMessage},
    new_id, tenants, users,
    webhooks::Endpoint,
};
use guestcare_domain::channels::{Category, Channel};

/// Queues one e-mail per active owner of the endpoint's tenant. Call it in
/// the transaction that disabled the endpoint.
pub fn endpoint_disabled(
    conn: &mut PgConnection,
    endpoint: &Endpoint,
    after_hours: f64,
    last_error: &str,
) -> diesel::QueryResult<()> {
    let tenant = tenants::get_tenant(conn, endpoint.tenant_id)?;
    for owner in users::list_active_owners(conn, endpoint.tenant_id)? {
        let (subject, body) = text(
            &tenant.default_language,
            &owner.display_name,
            &endpoint.url,
            after_hours,
            last_error,
        );
        let message = NewMessage {
            id: new_id(),
            tenant_id: endpoint.tenant_id,
            guest_id: None,
            channel: Channel::Email.as_str().to_owned(),
            purpose: "webhook_disabled".to_owned(),
            category: Category::Service.as_str().to_owned(),
            template_key: None,
            language: Some(tenant.default_language.clone()),
            recipient: owner.email,
            time_zone: None,
            subject: Some(subject),
            body_text: body,
            body_html: None,
            unsubscribe_url: None,
            parts_of: None,
            dedupe_key: None,
        };
        messages::queue_message(conn, &message, &[], None)?;
    }
    Ok(())
}

/// Subject and body in `language` (vi, zh-Hant, else English).
fn text(language: &str, name: &str, url: &str, hours: f64, error: &str) -> (String, String) {
    match language {
        "vi" => (
            "Điểm nhận webhook đã bị tắt".to_owned(),
            format!(
                "Xin chào {name},\n\nĐiểm nhận webhook {url} đã bị tắt vì các lần gửi đến đó liên tục thất bại trong hơn {hours} giờ. Lỗi gần nhất: {error}.\n\nHãy kiểm tra máy chủ nhận, rồi bật lại điểm nhận trong phần cài đặt webhook.\n\nguestcare\n"
            ),
        ),
        "zh-Hant" => (
            "Webhook 端點已停用".to_owned(),
            format!(
                "{name} 您好：\n\nWebhook 端點 {url} 已停用，因為傳送至該端點的請求已連續失敗超過 {hours} 小時。最近一次錯誤：{error}。\n\n請檢查接收伺服器，然後在 Webhook 設定中重新啟用此端點。\n\nguestcare\n"
            ),
        ),
        _ => (
            "Webhook endpoint disabled".to_owned(),
            format!(
                "Hello {name},\n\nThe webhook endpoint {url} has been disabled because deliveries to it kept failing for more than {hours} hours. Last error: {error}.\n\nCheck the receiving server, then re-enable the endpoint in the webhook settings.\n\nguestcare\n"
            ),
        ),
    }
}
