//! Results filtered and cross-tabulated, as CSV and as SVG charts.

use diesel::prelude::*;
use guestcare_db::schema::webhook_deliveries;
use guestcare_tests::{TestApp, TestDb, TestTenant, app::settings_for};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    assert_percentages_add_up, consenting_guest, create_survey, links_of, messages_of, results,
    run_send, segment, stay_survey, survey_link,
};
use crate::support::send as request;

/// Answers `guest`'s invitation on the web with `form`.
async fn answer(app: &TestApp, key: &str, guest: &str, form: &str) {
    let invitation = messages_of(app, key, guest).await.remove(0);
    let response = app
        .client
        .post(survey_link(app, &invitation))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{form}");
}

#[tokio::test]
async fn results_filter_cross_tabulate_and_export() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let guests = [
        ("Nguyễn Văn Nam", "VN", "q1=0&q3=4&q4=5&q5=Tuyệt+vời"),
        ("Lê Thị Hoa", "VN", "q1=1&q3=3&q4=4"),
        ("林志明", "TW", "q1=0&q2=1&q3=2&q4=3"),
        ("Oliver Smith", "GB", ""),
    ];
    let mut ids = Vec::new();
    for (i, (name, nationality, _)) in guests.iter().enumerate() {
        ids.push(
            consenting_guest(
                &app,
                key,
                json!({ "full_name": name, "email": format!("g{i}@example.com"), "nationality": nationality }),
            )
            .await,
        );
    }
    let everyone = segment(&app, key, "Everyone", json!({ "and": [] })).await;
    let taiwan = segment(&app, key, "Taiwan", json!({ "nationality": ["TW"] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (_, sent) = request(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    let send_id: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
    run_send(&mut db.connect(), &links_of(&settings), tenant.id, send_id);
    let (status, hook) = request(
        app.post("/v1/webhooks", key)
            .json(&json!({ "url": "http://127.0.0.1:9/hook", "event_types": ["survey.response"] })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    for ((_, _, form), id) in guests.iter().zip(&ids) {
        if !form.is_empty() {
            answer(&app, key, id, form).await;
        }
    }

    // Each response is announced to the webhook.
    let announced: Vec<Value> = webhook_deliveries::table
        .filter(webhook_deliveries::event_type.eq("survey.response"))
        .order(webhook_deliveries::created_at)
        .select(webhook_deliveries::payload)
        .load(&mut db.connect())
        .unwrap();
    assert_eq!(announced.len(), 3);
    assert_eq!(
        announced[0]["data"]["guest_id"].as_str(),
        Some(ids[0].as_str())
    );
    assert_eq!(
        announced[0]["data"]["answers"]["1"],
        json!({ "choices": [0] })
    );

    let all = results(&app, key, &survey, "?lang=en").await;
    let group = &all["groups"][0];
    assert_eq!(
        (group["invited"].as_u64(), group["responses"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(group["response_rate"], 75.0);
    let q1 = &group["questions"][0];
    let percents: Vec<f64> = q1["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["percent"].as_f64().unwrap())
        .collect();
    assert_eq!(
        percents,
        vec![66.7, 33.3, 0.0],
        "largest remainder: adds up to 100.0"
    );
    assert_eq!(group["questions"][3]["average"], 4.0);
    assert_percentages_add_up(&all);

    let by = results(&app, key, &survey, "?lang=vi&by=nationality").await;
    let keys: Vec<&str> = by["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["GB", "TW", "VN"]);
    let vn = &by["groups"][2];
    assert_eq!(
        (vn["invited"].as_u64(), vn["responses"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        vn["questions"][0]["text"],
        "Quý khách có muốn quay lại không?"
    );
    assert_eq!(by["groups"][0]["responses"], 0);
    assert_percentages_add_up(&by);

    let filtered = results(&app, key, &survey, &format!("?segment_id={taiwan}")).await;
    assert_eq!(filtered["groups"][0]["responses"], 1);
    let filtered = results(&app, key, &survey, "?nationality=vn,gb&language=vi").await;
    assert_eq!(filtered["groups"][0]["responses"], 2);
    let by_segment = results(
        &app,
        key,
        &survey,
        &format!("?by=segment&segments={everyone},{taiwan}"),
    )
    .await;
    let responses: Vec<&Value> = by_segment["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["responses"])
        .collect();
    assert_eq!(responses, vec![&json!(3), &json!(1)]);
    let (status, problem) =
        request(app.get(&format!("/v1/surveys/{survey}/results?by=room"), key)).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("query.by"))
    );

    let csv = app
        .get(&format!("/v1/surveys/{survey}/results.csv?lang=vi"), key)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}group,question,question_text,type,answered,average,code,option,count,percent,text"
    );
    assert!(
        csv.contains(",1,Quý khách có muốn quay lại không?,single_choice,3,,A,Chắc chắn,2,66.7,"),
        "{csv}"
    );
    assert!(
        csv.contains(",5,Quý khách muốn góp ý điều gì?,free_text,1,,,,,,Tuyệt vời"),
        "{csv}"
    );

    let chart = app
        .get(
            &format!("/v1/surveys/{survey}/questions/3/chart.svg?lang=zh-Hant"),
            key,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(chart.status(), StatusCode::OK);
    assert_eq!(
        chart.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    let svg = chart.text().await.unwrap();
    assert!(
        svg.contains("lang=\"zh-Hant\"") && svg.contains("3. 您對客房的評價如何？"),
        "{svg}"
    );
    assert!(
        svg.contains("A · 極佳") && svg.contains("3 份回答 · 平均 3.00"),
        "{svg}"
    );
    let (status, _) =
        request(app.get(&format!("/v1/surveys/{survey}/questions/5/chart.svg"), key)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) =
        request(app.get(&format!("/v1/surveys/{survey}/questions/9/chart.svg"), key)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
