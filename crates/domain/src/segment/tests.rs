use serde_json::json;

use super::*;

fn fields(value: serde_json::Value) -> Vec<String> {
    Filter::parse(&value)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_nested_filter_parses() {
    let filter = Filter::parse(&json!({"and": [
        {"nationality": ["TW", "vn"]},
        {"not": {"tier": ["negative"]}},
        {"or": [{"age": {"min": 30, "max": 50}}, {"birthday_month": [1, "12"]}]},
        {"tags": {"any": ["vip", "honeymoon"]}},
        {"stays": {"min": 2}},
        {"last_stay": {"after": "2025-01-01", "before": "31/12/2025"}},
        {"total_spend": {"currency": "vnd", "min": 5000000}},
        {"spend_percentile": {"currency": "VND", "top": 5}},
        {"consent": {"channel": "email", "purpose": "marketing"}},
        {"domestic": false},
        {"language": ["zh-Hant"]}
    ]}))
    .unwrap();
    let Filter::And(items) = &filter else {
        panic!("and")
    };
    assert_eq!(items.len(), 11);
    assert_eq!(
        items[0],
        Filter::Nationality(vec!["TW".parse().unwrap(), "VN".parse().unwrap()])
    );
    assert_eq!(
        items[6],
        Filter::TotalSpend {
            currency: "VND".into(),
            min: Some(5_000_000),
            max: None
        }
    );
    assert!(filter.uses_stays());
    assert_eq!(filter.spend_currencies(), ["VND"]);
}

#[test]
fn errors_carry_the_path_of_the_bad_value() {
    assert_eq!(
        fields(json!({"and": [{"nationality": ["VN", "XX"]}, {"age": {"min": -1}}]})),
        ["and[0].nationality[1]", "and[1].age.min"]
    );
    assert_eq!(fields(json!({"or": [{"colour": "red"}]})), ["or[0].colour"]);
    assert_eq!(
        fields(json!({"consent": {"channel": "fax", "purpose": "marketing"}})),
        ["consent.channel"]
    );
    assert_eq!(
        fields(json!({"stays": {"min": 3, "max": 1}})),
        ["stays.max"]
    );
    assert_eq!(
        fields(json!({"last_stay": {"before": "soon"}})),
        ["last_stay.before"]
    );
    assert_eq!(fields(json!({"tags": {"any": [], "all": ["x"]}})), ["tags"]);
    assert_eq!(
        fields(json!({"spend_percentile": {"currency": "VND", "top": 0}})),
        ["spend_percentile.top"]
    );
    assert_eq!(
        fields(json!({"age": {"min": 1, "years": 2}})),
        ["age.years"]
    );
    assert_eq!(
        fields(json!({"nationality": ["VN"], "tier": ["vip"]})),
        [""]
    );
    assert_eq!(fields(json!([])), [""]);
}

#[test]
fn huge_or_deep_filters_are_refused() {
    let mut deep = json!({"domestic": true});
    for _ in 0..=MAX_DEPTH {
        deep = json!({"not": deep});
    }
    let errors = Filter::parse(&deep).unwrap_err();
    assert_eq!(errors.errors()[0].code, "too_deep");
    let wide = json!({"or": vec![json!({"domestic": true}); MAX_NODES + 1]});
    assert!(Filter::parse(&wide).is_err());
}
