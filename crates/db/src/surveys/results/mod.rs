//! Survey results computed by Postgres ([`query`]) and labelled by
//! `guestcare_domain::surveys::results`.

mod query;

use std::collections::BTreeMap;

use diesel::prelude::*;
use guestcare_domain::{
    Language,
    surveys::results::{Counts, GroupResults, group_results},
};

pub use query::{GroupBy, ResultsFilter};

use super::Survey;

/// The survey's results for the respondents `filter` keeps, labelled in
/// `language`: one group for all of them, or one per value of `by`
/// (ordered by value, blank last), each with up to `texts_limit` free-text
/// answers per question.
pub fn survey_results(
    conn: &mut PgConnection,
    survey: &Survey,
    language: Language,
    filter: &ResultsFilter,
    by: Option<GroupBy>,
    texts_limit: i64,
) -> QueryResult<Vec<GroupResults>> {
    let definition = survey.definition()?;
    let parts = query::Parts::new(survey.tenant_id, survey.id, filter, by);
    let mut groups: BTreeMap<Option<String>, Counts> = BTreeMap::new();
    if by.is_none() {
        groups.insert(None, Counts::default());
    }
    for row in parts.invited(conn)? {
        groups.entry(row.key).or_default().invited = count(row.n);
    }
    for row in parts.responses(conn)? {
        groups.entry(row.key).or_default().responses = count(row.n);
    }
    for row in parts.choices(conn)? {
        let (Ok(question), Ok(choice)) = (u16::try_from(row.question), u8::try_from(row.choice))
        else {
            continue;
        };
        let counts = groups.entry(row.key).or_default();
        counts
            .choices
            .push((question, choice, count(row.n), count(row.firsts)));
    }
    for row in parts.texts(conn, texts_limit)? {
        let Ok(question) = u16::try_from(row.question) else {
            continue;
        };
        let counts = groups.entry(row.key).or_default();
        counts.text_totals.insert(question, count(row.total));
        counts.texts.entry(question).or_default().push(row.text);
    }
    let mut results: Vec<GroupResults> = groups
        .into_iter()
        .map(|(key, counts)| group_results(&definition, language, key, &counts))
        .collect();
    // BTreeMap puts `None` first; a blank value reads best last.
    if by.is_some() {
        results.sort_by_key(|g| g.key.is_none());
    }
    Ok(results)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
