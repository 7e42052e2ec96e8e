//! The SQL of survey results: four grouped statements over the survey's
//! recipients, responses and flattened answers, with the same guest
//! conditions and group key, all counted by Postgres.

use chrono::{NaiveDate, Utc};
use diesel::{prelude::*, sql_types};
use guestcare_domain::segment::Filter;
use uuid::Uuid;

use crate::segments::{Bind, EFFECTIVE_LANGUAGE, bound, compile};

/// Which respondents (and invited guests) count.
#[derive(Debug, Clone, Default)]
pub struct ResultsFilter {
    /// Guests the segment selects now.
    pub segment: Option<Filter>,
    /// ISO 3166 codes.
    pub nationalities: Vec<String>,
    /// Effective languages (`vi`, `en`, `zh-Hant`).
    pub languages: Vec<String>,
    /// Guests with a stay overlapping `[from, to]` (either end open).
    pub stayed_from: Option<NaiveDate>,
    pub stayed_to: Option<NaiveDate>,
}

/// What to cross-tabulate by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Nationality,
    Language,
    /// The month (`2026-07`) of the guest's latest check-in.
    StayMonth,
}

impl GroupBy {
    fn key(self) -> String {
        match self {
            GroupBy::Nationality => "g.nationality".to_owned(),
            GroupBy::Language => EFFECTIVE_LANGUAGE.to_owned(),
            GroupBy::StayMonth => "(SELECT to_char(max(s.check_in), 'YYYY-MM') FROM stays s \
                 WHERE s.tenant_id = g.tenant_id AND s.guest_id = g.id)"
                .to_owned(),
        }
    }
}

#[derive(Debug, QueryableByName)]
pub(super) struct GroupCount {
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = sql_types::BigInt)]
    pub n: i64,
}

#[derive(Debug, QueryableByName)]
pub(super) struct ChoiceCount {
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = sql_types::SmallInt)]
    pub question: i16,
    #[diesel(sql_type = sql_types::SmallInt)]
    pub choice: i16,
    #[diesel(sql_type = sql_types::BigInt)]
    pub n: i64,
    /// Responses whose first value for the question is this one (so the
    /// sum over a question's choices is how many answered it).
    #[diesel(sql_type = sql_types::BigInt)]
    pub firsts: i64,
}

#[derive(Debug, QueryableByName)]
pub(super) struct TextAnswer {
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = sql_types::SmallInt)]
    pub question: i16,
    #[diesel(sql_type = sql_types::Text)]
    pub text: String,
    #[diesel(sql_type = sql_types::BigInt)]
    pub total: i64,
}

/// The statements' shared parts: binds (`$1` tenant, then the segment's,
/// then the survey and filter values), the guest condition on `g` and the
/// group key.
pub(super) struct Parts {
    binds: Vec<Bind>,
    survey: usize,
    condition: String,
    key: String,
}

impl Parts {
    pub fn new(
        tenant_id: Uuid,
        survey_id: Uuid,
        filter: &ResultsFilter,
        by: Option<GroupBy>,
    ) -> Parts {
        let mut parts = Parts {
            binds: vec![Bind::Uuid(tenant_id)],
            survey: 0,
            condition: String::new(),
            key: by.map_or_else(|| "NULL::text".to_owned(), GroupBy::key),
        };
        if let Some(segment) = &filter.segment {
            let compiled = compile(tenant_id, segment, Utc::now().date_naive());
            parts.binds = compiled.binds;
            parts
                .condition
                .push_str(&format!(" AND g.id IN ({})", compiled.sql));
        }
        parts.survey = parts.bind(Bind::Uuid(survey_id));
        if !filter.nationalities.is_empty() {
            let p = parts.bind(Bind::Texts(filter.nationalities.clone()));
            parts
                .condition
                .push_str(&format!(" AND g.nationality = ANY(${p})"));
        }
        if !filter.languages.is_empty() {
            let p = parts.bind(Bind::Texts(filter.languages.clone()));
            parts
                .condition
                .push_str(&format!(" AND {EFFECTIVE_LANGUAGE} = ANY(${p})"));
        }
        if filter.stayed_from.is_some() || filter.stayed_to.is_some() {
            parts.condition.push_str(
                " AND EXISTS (SELECT 1 FROM stays s WHERE s.tenant_id = g.tenant_id AND s.guest_id = g.id",
            );
            if let Some(from) = filter.stayed_from {
                let p = parts.bind(Bind::Date(from));
                parts
                    .condition
                    .push_str(&format!(" AND coalesce(s.check_out, s.check_in) >= ${p}"));
            }
            if let Some(to) = filter.stayed_to {
                let p = parts.bind(Bind::Date(to));
                parts
                    .condition
                    .push_str(&format!(" AND s.check_in <= ${p}"));
            }
            parts.condition.push(')');
        }
        parts
    }

    fn bind(&mut self, bind: Bind) -> usize {
        self.binds.push(bind);
        self.binds.len()
    }

    /// Guests invited per group: recipients whose invitation was not
    /// withheld (no consent, suppressed address, cap).
    pub fn invited(&self, conn: &mut PgConnection) -> QueryResult<Vec<GroupCount>> {
        let sql = format!(
            "SELECT {key} AS key, count(*) AS n FROM survey_recipients r JOIN guests g ON g.id = r.guest_id \
             WHERE r.tenant_id = $1 AND r.survey_id = ${s} AND EXISTS (SELECT 1 FROM messages m \
             WHERE m.id = r.invitation_message_id AND m.status <> 'suppressed'){cond} GROUP BY 1",
            key = self.key,
            s = self.survey,
            cond = self.condition,
        );
        bound(&sql, self.binds.clone()).load(conn)
    }

    /// Responses per group.
    pub fn responses(&self, conn: &mut PgConnection) -> QueryResult<Vec<GroupCount>> {
        let sql = format!(
            "SELECT {key} AS key, count(*) AS n FROM survey_responses p JOIN guests g ON g.id = p.guest_id \
             WHERE p.tenant_id = $1 AND p.survey_id = ${s}{cond} GROUP BY 1",
            key = self.key,
            s = self.survey,
            cond = self.condition,
        );
        bound(&sql, self.binds.clone()).load(conn)
    }

    /// Counts of each chosen option and rating per group and question.
    pub fn choices(&self, conn: &mut PgConnection) -> QueryResult<Vec<ChoiceCount>> {
        let sql = format!(
            "SELECT {key} AS key, a.question, a.choice, count(*) AS n, \
             count(*) FILTER (WHERE a.position = 0) AS firsts \
             FROM survey_answers a JOIN survey_responses p ON p.id = a.response_id \
             JOIN guests g ON g.id = p.guest_id \
             WHERE a.tenant_id = $1 AND a.survey_id = ${s} AND a.choice IS NOT NULL{cond} \
             GROUP BY 1, 2, 3",
            key = self.key,
            s = self.survey,
            cond = self.condition,
        );
        bound(&sql, self.binds.clone()).load(conn)
    }

    /// The newest `limit` free-text answers per group and question, with
    /// how many there are in all.
    pub fn texts(&self, conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<TextAnswer>> {
        let mut binds = self.binds.clone();
        binds.push(Bind::BigInt(limit));
        let sql = format!(
            "SELECT key, question, text, total FROM (SELECT {key} AS key, a.question, a.text, \
             count(*) OVER w AS total, \
             row_number() OVER (w ORDER BY p.updated_at DESC, a.response_id) AS rank \
             FROM survey_answers a JOIN survey_responses p ON p.id = a.response_id \
             JOIN guests g ON g.id = p.guest_id \
             WHERE a.tenant_id = $1 AND a.survey_id = ${s} AND a.text IS NOT NULL{cond} \
             WINDOW w AS (PARTITION BY {key}, a.question)) t \
             WHERE rank <= ${l} ORDER BY key, question, rank",
            key = self.key,
            s = self.survey,
            cond = self.condition,
            l = binds.len(),
        );
        bound(&sql, binds).load(conn)
    }
}
