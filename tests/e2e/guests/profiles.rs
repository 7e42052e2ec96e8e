//! Creating, reading, changing and finding guests.

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{create, search};
use crate::support::{error_fields, send};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut diesel::PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

#[tokio::test]
async fn a_guest_with_vietnamese_diacritics_is_found_the_way_staff_type() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    // Decomposed input (as some keyboards send it) is stored NFC.
    let guest = create(
        &app,
        &tenant.key,
        json!({
            "full_name": "Nguye\u{302}\u{303}n Va\u{306}n A",
            "phones": ["0903 123 456"],
            "email": "Lan.Nguyen@Example.com",
            "nationality": "vn",
            "birth_date": "12/03/1990",
            "gender": "male",
            "hometown": "Huế",
            "chat_handles": [{ "kind": "zalo", "handle": "0903123456" }],
            "emergency_contact": { "name": "Trần Thị B", "relation": "vợ", "phone": "(028) 3822 1234" },
            "tags": ["golf", "golf", "ăn chay"]
        }),
    )
    .await;
    assert_eq!(guest["full_name"], "Nguyễn Văn A");
    assert_eq!(guest["code"], "G-000001");
    assert_eq!(guest["phones"], json!(["+84903123456"]));
    assert_eq!(guest["email"], "Lan.Nguyen@example.com");
    assert_eq!(guest["nationality"], "VN");
    assert_eq!(guest["origin"], "domestic");
    assert_eq!(guest["language"], "vi");
    assert_eq!(guest["birth_date"], "1990-03-12");
    assert_eq!(guest["emergency_contact"]["phone"], "+842838221234");
    assert_eq!(guest["tags"], json!(["golf", "ăn chay"]));
    let taiwanese = create(
        &app,
        &tenant.key,
        json!({ "full_name": "陳美玲", "nationality": "TW", "phones": ["+886 912 345 678"] }),
    )
    .await;
    assert_eq!(taiwanese["code"], "G-000002");
    assert_eq!(taiwanese["language"], "zh-Hant");
    assert_eq!(taiwanese["origin"], "international");
    create(&app, &tenant.key, json!({ "full_name": "Nguyễn Văn Anh" })).await;
    create(&app, &tenant.key, json!({ "full_name": "Trần Văn Bình" })).await;

    let anh_and_a = ["Nguyễn Văn Anh", "Nguyễn Văn A"];
    assert_eq!(search(&app, &tenant.key, "nguyen van a").await, anh_and_a);
    assert_eq!(search(&app, &tenant.key, "NGUYỄN VĂN A").await, anh_and_a);
    assert_eq!(
        search(&app, &tenant.key, "+84 90-312-3456").await,
        ["Nguyễn Văn A"]
    );
    assert_eq!(
        search(&app, &tenant.key, "090.312.3456").await,
        ["Nguyễn Văn A"]
    );
    assert_eq!(search(&app, &tenant.key, "g-2").await, ["陳美玲"]);
    assert_eq!(search(&app, &tenant.key, "陳美").await, ["陳美玲"]);
    assert_eq!(
        search(&app, &tenant.key, "lan.nguyen@EXAMPLE.com").await,
        ["Nguyễn Văn A"]
    );
    assert!(search(&app, &tenant.key, "100%_").await.is_empty());

    let (_, all) = send(app.get("/v1/guests?limit=3", &tenant.key)).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        all["items"][0]["full_name"], "Trần Văn Bình",
        "newest first"
    );
    let next = all["next_cursor"].as_str().unwrap();
    let (_, rest) = send(app.get(&format!("/v1/guests?limit=3&cursor={next}"), &tenant.key)).await;
    assert_eq!(rest["items"][0]["full_name"], "Nguyễn Văn A");
    assert!(rest["next_cursor"].is_null());
}

#[tokio::test]
async fn bad_fields_answer_422_with_their_paths_and_nothing_is_saved() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let (status, problem) = send(app.post("/v1/guests", &tenant.key).json(&json!({
        "full_name": "Lê Thị C",
        "email": "not-an-email",
        "phones": ["0903 123 456", "12ab"],
        "birth_date": "31/02/1990",
        "nationality": "XX",
        "national_id": { "type": "cccd", "number": "123" },
        "chat_handles": [{ "kind": "icq", "handle": "x" }],
        "emergency_contact": { "phone": "not a phone" }
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(
        error_fields(&problem),
        [
            "national_id.number",
            "birth_date",
            "phones[1]",
            "email",
            "chat_handles[0].kind",
            "emergency_contact.phone",
            "nationality",
        ]
    );
    let (status, problem) = send(
        app.post("/v1/guests", &tenant.key)
            .json(&json!({ "phones": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["full_name"]);
    let (_, list) = send(app.get("/v1/guests", &tenant.key)).await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        count(&mut db.connect(), "SELECT count(*) AS n FROM guests"),
        0
    );
    assert_eq!(
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM guest_code_counters"
        ),
        0
    );

    // A bad patch changes nothing either.
    let guest = create(&app, &tenant.key, json!({ "full_name": "Lê Thị C" })).await;
    let path = format!("/v1/guests/{}", guest["id"].as_str().unwrap());
    let (status, problem) = send(app.patch(&path, &tenant.key).json(&json!({
        "occupation": "Giáo viên", "time_zone": "Mars/Olympus"
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["time_zone"]);
    let (_, unchanged) = send(app.get(&path, &tenant.key)).await;
    assert!(unchanged["occupation"].is_null());
    let (status, patched) = send(app.patch(&path, &tenant.key).json(&json!({
        "occupation": "Giáo viên", "time_zone": "Asia/Ho_Chi_Minh", "full_name": "Lê Thị Cúc"
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["occupation"], "Giáo viên");
    assert_eq!(patched["full_name"], "Lê Thị Cúc");
    assert_eq!(
        search(&app, &tenant.key, "le thi cuc").await,
        ["Lê Thị Cúc"]
    );
}

#[tokio::test]
async fn another_tenants_guest_is_not_found() {
    let db = TestDb::new();
    let a = TestTenant::create(&mut db.connect(), "tenant-a");
    let b = TestTenant::create(&mut db.connect(), "tenant-b");
    let app = TestApp::spawn(&db);
    let guest = create(
        &app,
        &a.key,
        json!({ "full_name": "Phạm Minh D", "phones": ["0903123456"] }),
    )
    .await;
    let path = format!("/v1/guests/{}", guest["id"].as_str().unwrap());
    let (status, problem) = send(app.get(&path, &b.key)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["code"], "not_found");
    assert!(search(&app, &b.key, "pham minh d").await.is_empty());
    assert!(search(&app, &b.key, "0903123456").await.is_empty());
    let (status, _) = send(app.patch(&path, &b.key).json(&json!({ "notes": "x" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn national_ids_are_sealed_at_rest_and_masked_for_care_agents() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let manager = tenant.key_with_role(&mut db.connect(), Role::Manager);
    let app = TestApp::spawn(&db);

    let guest = create(
        &app,
        &agent,
        json!({ "full_name": "Võ Thị E", "national_id": { "type": "cccd", "number": "079 123 456 789" } }),
    )
    .await;
    assert_eq!(
        guest["national_id"],
        json!({ "type": "cccd", "number": "•••••••••789", "masked": true })
    );
    let path = format!("/v1/guests/{}", guest["id"].as_str().unwrap());
    let (_, seen) = send(app.get(&path, &manager)).await;
    assert_eq!(
        seen["national_id"],
        json!({ "type": "cccd", "number": "079123456789", "masked": false })
    );
    let (_, seen) = send(app.get(&path, &agent)).await;
    assert_eq!(seen["national_id"]["number"], "•••••••••789");
    // Found by number, in any spacing, by every role.
    assert_eq!(search(&app, &agent, "079-123-456-789").await, ["Võ Thị E"]);
    // A manager's answer shows it; the copy kept for replays does not.
    let body = json!({ "full_name": "Đỗ Văn F", "national_id": { "type": "passport", "number": "B7654321" } });
    let post = || {
        app.post("/v1/guests", &manager)
            .header("Idempotency-Key", "f-1")
            .json(&body)
    };
    let (status, first) = send(post()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(first["national_id"]["number"], "B7654321");
    let (_, replay) = send(post()).await;
    assert_eq!(replay["id"], first["id"]);
    assert_eq!(replay["national_id"]["number"], "•••••321");

    let mut conn = db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM guests WHERE national_id_sealed IS NOT NULL"
        ),
        2
    );
    for table in [
        "guests",
        "timeline_entries",
        "audit_log",
        "idempotency_keys",
    ] {
        let sql = format!(
            "SELECT count(*) AS n FROM {table} t WHERE t::text LIKE '%079123456789%' \
             OR t::text LIKE '%079 123%' OR t::text LIKE '%B7654321%'"
        );
        assert_eq!(
            count(&mut conn, &sql),
            0,
            "{table} holds the number in clear"
        );
    }
    // The audit log says who read the guest, without the data.
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM audit_log WHERE action = 'guest.read'"
        ),
        2
    );
}
