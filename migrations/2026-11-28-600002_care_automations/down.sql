DROP TRIGGER tenants_care_time_zone ON tenants;
DROP TRIGGER tenants_care_seed ON tenants;
DROP FUNCTION care_follow_time_zone();
DROP FUNCTION care_seed_tenant();
DROP FUNCTION care_seed(tenants);
DROP FUNCTION care_next_local(text, time);
DELETE FROM schedules WHERE name IN ('care.birthdays', 'care.digest', 'care.greetings')
    AND kind IN ('care_birthdays', 'care_digest', 'care_greetings');
DELETE FROM jobs WHERE kind IN ('care_birthdays', 'care_digest', 'care_greetings');
DROP TABLE greeting_rules;
DROP TABLE care_settings;
