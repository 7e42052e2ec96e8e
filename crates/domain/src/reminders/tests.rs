use chrono::NaiveDate;

use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn step(days: Option<i64>, months: Option<i64>, hours: Option<i64>, channel: &str) -> StepSpec {
    StepSpec {
        offset_days: days,
        offset_months: months,
        offset_hours: hours,
        channel: channel.to_owned(),
        purpose: "reminder".to_owned(),
    }
}

fn fields(errors: ValidationErrors) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}

#[test]
fn the_renewal_schedule_parses_and_falls_on_its_days() {
    let steps: Vec<StepSpec> = [-30, -18, -15, -3, 1, 4]
        .into_iter()
        .map(|d| step(Some(d), None, None, "email"))
        .collect();
    let rule = RuleParts {
        name: "Gia hạn thẻ thành viên",
        anchor: "guest_date",
        anchor_key: Some("membership_expiry"),
        steps: &steps,
    }
    .validate()
    .unwrap();
    assert_eq!(rule.anchor, Anchor::GuestDate("membership_expiry".into()));
    let expiry = date("2027-03-01");
    let days: Vec<String> = rule
        .steps
        .iter()
        .map(|s| s.offset.due_date(expiry).unwrap().to_string())
        .collect();
    assert_eq!(
        days,
        [
            "2027-01-30",
            "2027-02-11",
            "2027-02-14",
            "2027-02-26",
            "2027-03-02",
            "2027-03-05"
        ]
    );
    assert_eq!(rule.steps[0].key(), "d-30:email");
}

#[test]
fn months_clamp_to_the_month_end() {
    let eleven = Offset::Calendar {
        months: 11,
        days: 0,
    };
    assert_eq!(
        eleven.due_date(date("2026-03-31")),
        Some(date("2027-02-28"))
    );
    assert_eq!(eleven.to_string(), "m11");
    let mixed = Offset::Calendar {
        months: -1,
        days: 3,
    };
    assert_eq!(mixed.due_date(date("2027-03-31")), Some(date("2027-03-03")));
    assert_eq!(mixed.to_string(), "m-1d3");
    assert_eq!(Offset::Hours(72).due_date(date("2027-01-01")), None);
}

#[test]
fn the_anchor_window_holds_every_anchor_due_in_the_period() {
    let offsets = [
        Offset::Calendar {
            months: 11,
            days: 0,
        },
        Offset::Calendar {
            months: -1,
            days: 3,
        },
        Offset::Calendar {
            months: 1,
            days: 30,
        },
        Offset::Calendar {
            months: 0,
            days: -30,
        },
    ];
    let (from, to) = (date("2027-02-27"), date("2027-03-02"));
    for offset in offsets {
        let (lo, hi) = offset.anchor_window(from, to).unwrap();
        for anchor in date("2025-01-01").iter_days().take(1200) {
            let due = offset.due_date(anchor).unwrap();
            if (from..=to).contains(&due) {
                assert!((lo..=hi).contains(&anchor), "{offset} {anchor}");
            }
        }
    }
}

#[test]
fn bad_rules_name_each_field() {
    let steps = [
        step(Some(-30), None, None, "fax"),
        step(None, None, Some(72), "email"),
        step(Some(900), None, None, "sms"),
        step(Some(1), None, None, "email"),
        step(Some(1), None, None, "email"),
        step(None, None, None, "email"),
    ];
    let errors = RuleParts {
        name: "",
        anchor: "guest_date",
        anchor_key: None,
        steps: &steps,
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        fields(errors),
        [
            "name",
            "anchor_key",
            "steps[0].channel",
            "steps[1].offset_hours",
            "steps[2].offset_days",
            "steps[4]",
            "steps[5].offset_days"
        ]
    );

    let errors = RuleParts {
        name: "x",
        anchor: "stay_check_out",
        anchor_key: None,
        steps: &steps,
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        fields(errors),
        [
            "steps[0].channel",
            "steps[1].offset_hours",
            "steps[2].offset_days",
            "steps[4]",
            "steps[5].offset_days"
        ]
    );

    let errors = RuleParts {
        name: "x",
        anchor: "event",
        anchor_key: Some("ticket.resolved"),
        steps: &[
            step(Some(3), None, None, "email"),
            step(None, None, Some(-1), "sms"),
        ],
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        fields(errors),
        ["steps[0].offset_days", "steps[1].offset_hours"]
    );
}

#[test]
fn specs_round_trip() {
    for spec in [
        step(Some(-30), None, None, "email"),
        step(None, Some(11), None, "sms"),
        step(Some(2), Some(-1), None, "sms"),
        step(Some(0), None, None, "sms"),
    ] {
        let offset = Offset::parse(&spec, false).unwrap();
        assert_eq!(
            offset.spec("email", "reminder").offset_days,
            spec.offset_days
        );
        assert_eq!(
            offset.spec("email", "reminder").offset_months,
            spec.offset_months
        );
    }
}
