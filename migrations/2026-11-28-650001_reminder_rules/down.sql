DROP TABLE reminder_rules;
DROP TABLE guest_dates;
