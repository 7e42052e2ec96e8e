//! Answers by e-mail reply (`guestcare_db::surveys::ingest_email_reply`, as
//! the inbound mailbox job calls it): a realistic reply to the invitation
//! gives the same results as the web form; a reply that cannot be read
//! becomes a care task for staff; mail that answers no invitation is left
//! to the caller. The same through a real Dovecot mailbox and the worker:
//! `dovecot_reply.rs`.

use diesel::Connection;
use guestcare_db::{
    new_id,
    surveys::{EmailReply, ReplyOutcome, ingest_email_reply},
};
use guestcare_tests::{TestApp, TestDb, TestTenant, app::settings_for};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{
    assert_percentages_add_up, consenting_guest, create_survey, links_of, messages_of, results,
    run_send, segment, stay_survey, survey_link,
};
use crate::support::send;

fn reply(in_reply_to: Option<String>, subject: &str, text: &str) -> EmailReply {
    EmailReply {
        inbound_message_id: new_id(),
        from: "guest@example.com".to_owned(),
        subject: Some(subject.to_owned()),
        text: text.to_owned(),
        in_reply_to,
        references: Vec::new(),
    }
}

#[tokio::test]
async fn an_emailed_reply_counts_like_the_web_form() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let emily = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Emily Carter", "email": "emily@example.com", "nationality": "GB" }),
    )
    .await;
    let hung = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Trần Văn Hùng", "email": "hung@example.com", "nationality": "VN" }),
    )
    .await;
    let everyone = segment(&app, key, "Everyone", json!({ "and": [] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (status, sent) = send(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let send_id: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
    let mut conn = db.connect();
    run_send(&mut conn, &links_of(&settings), tenant.id, send_id);

    // Hùng answers on the web page (a plain form POST).
    let invitation = messages_of(&app, key, &hung).await.remove(0);
    let response = app
        .client
        .post(survey_link(&app, &invitation))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("q1=1&q2=0&q2=2&q3=3&q4=4&q5=Bữa+sáng+ngon.")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Emily replies to her invitation from a phone: the same answers, with
    // her mail client's quote of the invitation below.
    let invitation = messages_of(&app, key, &emily).await.remove(0);
    let message_id = invitation["id"].as_str().unwrap();
    let subject = format!("Re: {}", invitation["subject"].as_str().unwrap());
    let quoted: String = invitation["body_text"]
        .as_str()
        .unwrap()
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    let text = format!(
        "Hello,\n\n1: b\n2: A, C\n3: Good\n4. 4\n5: Breakfast was lovely.\nThe pool closes too early though.\n\n\
         Sent from my iPhone\n\nOn Thu, 3 Dec 2026 at 09:12, Sunrise Resort <care@sunrise.example> wrote:\n{quoted}"
    );
    let outcome = conn
        .transaction(|conn| {
            ingest_email_reply(
                conn,
                tenant.id,
                &reply(
                    Some(format!("<{message_id}@sunrise.example>")),
                    &subject,
                    &text,
                ),
            )
        })
        .unwrap();
    let ReplyOutcome::Recorded { guest_id, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(guest_id.to_string(), emily);

    let results = results(&app, key, &survey, "?lang=en").await;
    let group = &results["groups"][0];
    assert_eq!(group["responses"], 2);
    let q = &group["questions"];
    let counts = |n: usize| -> Vec<u64> {
        q[n]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["count"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(counts(0), vec![0, 2, 0], "both chose B");
    assert_eq!(counts(1), vec![2, 0, 2], "both chose A and C");
    assert_eq!(counts(2), vec![0, 2, 0, 0], "both said Good");
    assert_eq!(counts(3), vec![0, 0, 0, 2, 0], "both gave 4");
    assert_eq!(q[4]["texts_total"], 2);
    let texts = q[4]["texts"].as_array().unwrap();
    assert!(
        texts.contains(&json!(
            "Breakfast was lovely.\nThe pool closes too early though."
        )),
        "{texts:?}"
    );
    assert!(texts.contains(&json!("Bữa sáng ngon.")), "{texts:?}");
    assert_percentages_add_up(&results);

    // A later reply by the subject's reference changes one answer only.
    let outcome = conn
        .transaction(|conn| {
            ingest_email_reply(conn, tenant.id, &reply(None, &subject, "3: Excellent"))
        })
        .unwrap();
    assert!(
        matches!(outcome, ReplyOutcome::Recorded { .. }),
        "{outcome:?}"
    );
    let results_after = super::results(&app, key, &survey, "?lang=en").await;
    let q = &results_after["groups"][0]["questions"];
    assert_eq!(q[2]["options"][0]["count"], 1, "Excellent");
    assert_eq!(q[2]["options"][1]["count"], 1, "Good");
    assert_eq!(q[0]["options"][1]["count"], 2, "answer 1 kept");
}

#[tokio::test]
async fn an_unreadable_reply_becomes_a_task_and_foreign_mail_is_left_alone() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let mai = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Lê Thị Mai", "email": "mai@example.com", "language": "vi" }),
    )
    .await;
    let everyone = segment(&app, key, "Mọi khách", json!({ "and": [] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (_, sent) = send(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    let mut conn = db.connect();
    run_send(
        &mut conn,
        &links_of(&settings),
        tenant.id,
        sent["id"].as_str().unwrap().parse().unwrap(),
    );
    let invitation = messages_of(&app, key, &mai).await.remove(0);
    let in_reply_to = Some(format!(
        "<{}@sunrise.example>",
        invitation["id"].as_str().unwrap()
    ));

    let text = "Dạ phòng rất đẹp, nhưng tôi không hiểu cách trả lời ạ.\nCâu 1: Z\n";
    let mut unreadable = reply(in_reply_to.clone(), "Re: khảo sát", text);
    let ingest = |conn: &mut diesel::PgConnection, r: &EmailReply| {
        conn.transaction(|conn| ingest_email_reply(conn, tenant.id, r))
            .unwrap()
    };
    let first = ingest(&mut conn, &unreadable);
    let ReplyOutcome::NeedsReview { task_id, .. } = first else {
        panic!("{first:?}");
    };
    // Ingesting the same inbound message again makes no second task.
    assert_eq!(ingest(&mut conn, &unreadable), first);
    let (status, task) = send(app.get(&format!("/v1/tasks/{task_id}"), key)).await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert!(
        task["title"]
            .as_str()
            .unwrap()
            .starts_with("Đọc email trả lời khảo sát (S-"),
        "{task}"
    );
    assert_eq!(task["script"], text);
    assert_eq!(task["guest_id"].as_str().unwrap(), mai);
    assert_eq!(
        task["context"]["problems"][0],
        json!({ "question": 1, "problem": "invalid" })
    );

    // Incomplete (a required answer missing) also goes to staff, not to results.
    unreadable.inbound_message_id = new_id();
    unreadable.text = "1: A".to_owned();
    assert!(matches!(
        ingest(&mut conn, &unreadable),
        ReplyOutcome::NeedsReview { .. }
    ));
    assert_eq!(
        results(&app, key, &survey, "").await["groups"][0]["responses"],
        0
    );

    let foreign = reply(
        Some("<abc@elsewhere.example>".to_owned()),
        "Re: booking",
        "1: A",
    );
    assert_eq!(ingest(&mut conn, &foreign), ReplyOutcome::Unmatched);
}
