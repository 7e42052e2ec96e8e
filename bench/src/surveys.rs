//! Survey results over many responses: `surveys::results::survey_results`
//! (four grouped statements — invited, responses, option and rating counts,
//! the newest free texts — then labels, largest-remainder percentages and
//! averages in Rust) beside the floor: one hand-written `GROUP BY` over the
//! same answers, run in `psql` with `\timing` in the same run. Both once for
//! the whole survey and once cross-tabulated by nationality; best of five.

use std::{io::Write, process::Command, time::Instant};

use diesel::{Connection, PgConnection, RunQueryDsl, sql_types};
use guestcare_db::{
    new_id,
    surveys::{
        self,
        results::{GroupBy, ResultsFilter, survey_results},
    },
};
use guestcare_domain::{Language, surveys::Definition};
use uuid::Uuid;

use crate::pg;

const RUNS: usize = 5;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Responses (one guest each).
    #[arg(long, default_value_t = 100_000)]
    responses: i64,
    /// Postgres to use (a superuser URL); default: a private cluster under
    /// target/bench-pg.
    #[arg(long)]
    database_url: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = pg::fresh_database(args.database_url.as_deref(), "gc_bench_surveys")?;
    let mut conn = PgConnection::establish(&url)?;
    let tenant_id = crate::imports::tenant(&mut conn, "bench-surveys")?;
    let started = Instant::now();
    let survey = seed(&mut conn, tenant_id, args.responses)?;
    println!(
        "seeded {} responses (5 questions, {} answer rows) in {:.0} s\n",
        args.responses,
        count(&mut conn, "SELECT count(*) AS n FROM survey_answers")?,
        started.elapsed().as_secs_f64()
    );
    let filter = ResultsFilter::default();
    let mut rows = Vec::new();
    for (name, by, floor_sql) in [
        (
            "whole survey",
            None,
            format!(
                "SELECT question, choice, count(*) FROM survey_answers \
                 WHERE tenant_id = '{tenant_id}' AND survey_id = '{}' AND choice IS NOT NULL GROUP BY 1, 2;",
                survey.id
            ),
        ),
        (
            "by nationality",
            Some(GroupBy::Nationality),
            format!(
                "SELECT g.nationality, a.question, a.choice, count(*) FROM survey_answers a \
                 JOIN survey_responses p ON p.id = a.response_id JOIN guests g ON g.id = p.guest_id \
                 WHERE a.tenant_id = '{tenant_id}' AND a.survey_id = '{}' AND a.choice IS NOT NULL GROUP BY 1, 2, 3;",
                survey.id
            ),
        ),
    ] {
        let mut best = f64::MAX;
        let mut groups = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let results = survey_results(&mut conn, &survey, Language::Vi, &filter, by, 100)?;
            best = best.min(started.elapsed().as_secs_f64() * 1000.0);
            groups = results.len();
            let answered = results.iter().map(|g| g.questions[0].answered).sum::<u64>();
            anyhow::ensure!(answered as i64 == args.responses, "every response counted");
        }
        let floor = psql_best_ms(&url, &floor_sql)?;
        rows.push((name, groups, best, floor));
    }
    println!(
        "| computation | responses | groups | guestcare ms (best of {RUNS}) | psql `GROUP BY` ms | ratio |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, groups, ours, floor) in rows {
        println!(
            "| {name} | {} | {groups} | {ours:.0} | {floor:.0} | {:.1}× |",
            args.responses,
            ours / floor
        );
    }
    Ok(())
}

/// Guests (nationalities mixed), a five-question survey, one recipient and
/// one response per guest, and answers spread over the options.
fn seed(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    responses: i64,
) -> anyhow::Result<surveys::Survey> {
    let body = serde_json::json!({
        "title": { "vi": "Khảo sát", "en": "Survey" },
        "questions": [
            { "type": "single_choice", "text": { "vi": "Quay lại?", "en": "Again?" },
              "options": [{ "vi": "Có", "en": "Yes" }, { "vi": "Có thể", "en": "Maybe" }, { "vi": "Không", "en": "No" }] },
            { "type": "multiple_choice", "text": { "vi": "Dịch vụ", "en": "Services" },
              "options": [{ "vi": "Hồ bơi", "en": "Pool" }, { "vi": "Spa", "en": "Spa" }, { "vi": "Nhà hàng", "en": "Restaurant" }] },
            { "type": "rating_words", "text": { "vi": "Phòng", "en": "Room" } },
            { "type": "rating_numbers", "text": { "vi": "Nhân viên", "en": "Staff" } },
            { "type": "free_text", "text": { "vi": "Góp ý", "en": "Comments" } }
        ]
    });
    let definition = Definition::parse(
        serde_json::from_value(body["title"].clone())?,
        serde_json::from_value(body["questions"].clone())?,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let survey = surveys::insert_survey(conn, tenant_id, new_id(), &definition, None)?;
    let statements = [
        "INSERT INTO guests (id, tenant_id, code, full_name, name_folded, nationality, language) \
         SELECT gen_random_uuid(), $1, n, 'Khách ' || n, 'khach ' || n, \
                (ARRAY['VN','VN','VN','VN','VN','VN','TW','KR','GB','US'])[1 + n % 10], \
                (ARRAY['vi','vi','vi','vi','vi','vi','zh-Hant','en','en','en'])[1 + n % 10] \
         FROM generate_series(1, $3) AS n",
        "WITH s AS (INSERT INTO survey_sends (id, tenant_id, survey_id, recipients) \
                    VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id) \
         INSERT INTO survey_recipients (id, tenant_id, survey_id, send_id, guest_id, reference, invited_at) \
         SELECT gen_random_uuid(), $1, $2, s.id, g.id, 'S-' || lpad(upper(to_hex(g.code)), 10, '0'), now() \
         FROM guests g, s WHERE g.tenant_id = $1",
        "INSERT INTO survey_responses (id, tenant_id, survey_id, recipient_id, guest_id, channel, language, answers) \
         SELECT gen_random_uuid(), $1, $2, r.id, r.guest_id, 'web', 'vi', '{}' \
         FROM survey_recipients r WHERE r.survey_id = $2 AND $3 > 0",
        "INSERT INTO survey_answers (tenant_id, survey_id, response_id, question, position, choice, text) \
         SELECT $1, $2, p.id, q.question, q.position, q.choice, q.text FROM survey_responses p, LATERAL ( \
           SELECT h FROM (SELECT abs(hashtext(p.id::text)) AS h) x) hh, LATERAL (VALUES \
             (1::smallint, 0::smallint, (hh.h % 3)::smallint, NULL::text), \
             (2, 0, (hh.h / 3 % 3)::smallint, NULL), \
             (3, 0, (1 + hh.h / 9 % 4)::smallint, NULL), \
             (4, 0, (1 + hh.h / 36 % 5)::smallint, NULL)) AS q(question, position, choice, text) \
         WHERE p.survey_id = $2 AND $3 > 0 \
         UNION ALL SELECT $1, $2, p.id, 2, 1, ((abs(hashtext(p.id::text)) / 3 % 3 + 1) % 3)::smallint, NULL \
         FROM survey_responses p WHERE p.survey_id = $2 AND abs(hashtext(p.id::text)) % 2 = 0 \
         UNION ALL SELECT $1, $2, p.id, 5, 0, NULL, 'Phòng sạch sẽ, nhân viên thân thiện.' \
         FROM survey_responses p WHERE p.survey_id = $2 AND abs(hashtext(p.id::text)) % 10 = 0",
    ];
    for sql in statements {
        diesel::sql_query(sql)
            .bind::<sql_types::Uuid, _>(tenant_id)
            .bind::<sql_types::Uuid, _>(survey.id)
            .bind::<sql_types::BigInt, _>(responses)
            .execute(conn)?;
    }
    diesel::sql_query("VACUUM ANALYZE guests, survey_recipients, survey_responses, survey_answers")
        .execute(conn)?;
    Ok(survey)
}

fn count(conn: &mut PgConnection, sql: &str) -> anyhow::Result<i64> {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    Ok(diesel::sql_query(sql).get_result::<N>(conn)?.n)
}

/// The best `\timing` of `sql` run five times in one `psql` session.
fn psql_best_ms(url: &str, sql: &str) -> anyhow::Result<f64> {
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-o", "/dev/null", url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut script = String::from("\\timing on\n");
    for _ in 0..RUNS {
        script.push_str(sql);
        script.push('\n');
    }
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("psql stdin"))?
        .write_all(script.as_bytes())?;
    let output = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("Time: ")?
                .split(' ')
                .next()?
                .parse::<f64>()
                .ok()
        })
        .reduce(f64::min)
        .ok_or_else(|| anyhow::anyhow!("no \\timing from psql: {text}"))
}
