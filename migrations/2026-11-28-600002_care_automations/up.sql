-- Care automations of a tenant: its settings, its greeting rules, and the
-- daily scans' schedules. Every tenant gets its schedules and default
-- greeting rules when it is created (trigger below), and existing tenants
-- get them now; a change of the tenant's time zone moves its schedules.

CREATE TABLE care_settings (
    tenant_id          uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    -- NULL: the birthday scan only creates call tasks; else it also sends the
    -- birthday message on this channel with a gift voucher code.
    birthday_channel   text CHECK (birthday_channel IN ('email', 'sms')),
    voucher_prefix     text NOT NULL DEFAULT 'BDAY' CHECK (voucher_prefix ~ '^[A-Z0-9]{1,12}$'),
    voucher_valid_days integer NOT NULL DEFAULT 30 CHECK (voucher_valid_days BETWEEN 1 AND 366),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Which occasion greets which guests, how and when (the hour, tenant time).
CREATE TABLE greeting_rules (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- A built-in occasion key (`vn.tet`, `intl.christmas`) or `tenant.<key>`.
    occasion_key text NOT NULL CHECK (occasion_key ~ '^(intl|vn|tw|tenant)\.[a-z0-9_-]{1,64}$'),
    audience     text NOT NULL CHECK (audience IN ('all', 'domestic', 'international', 'segment')),
    segment_id   uuid REFERENCES segments (id) ON DELETE RESTRICT,
    channel      text NOT NULL CHECK (channel IN ('email', 'sms')),
    send_hour    smallint NOT NULL DEFAULT 9 CHECK (send_hour BETWEEN 0 AND 23),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((audience = 'segment') = (segment_id IS NOT NULL))
);
CREATE INDEX greeting_rules_tenant_idx ON greeting_rules (tenant_id, id);

-- The first instant after now at which the local clock of `tz` reads `at`
-- (daily schedules), or the next local full hour (`at` NULL).
CREATE FUNCTION care_next_local(tz text, at time) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN at IS NULL THEN
            (date_trunc('hour', now() AT TIME ZONE tz) + interval '1 hour') AT TIME ZONE tz
        WHEN ((now() AT TIME ZONE tz)::date + at) AT TIME ZONE tz > now() THEN
            ((now() AT TIME ZONE tz)::date + at) AT TIME ZONE tz
        ELSE ((now() AT TIME ZONE tz)::date + 1 + at) AT TIME ZONE tz
    END
$$;

-- The care schedules of a tenant (07:00 birthdays, 07:30 digest, greetings
-- every hour, all in its time zone) and its default greeting rules: the
-- international occasions to every guest by SMS, and the country's New Year
-- and National Day to domestic guests (Vietnam: Tết, 2/9; Taiwan: Lunar New
-- Year, 10/10). Existing rows are left alone.
CREATE FUNCTION care_seed(t tenants) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO schedules (id, tenant_id, name, cron, time_zone, queue, kind, payload, next_run_at)
    SELECT gen_random_uuid(), t.id, s.name, s.cron, t.time_zone, 'default', s.kind,
           jsonb_build_object('tenant_id', t.id), care_next_local(t.time_zone, s.at)
    FROM (VALUES ('care.birthdays', '0 7 * * *', 'care_birthdays', time '07:00'),
                 ('care.digest', '30 7 * * *', 'care_digest', time '07:30'),
                 ('care.greetings', '0 * * * *', 'care_greetings', NULL::time))
         AS s (name, cron, kind, at)
    ON CONFLICT (tenant_id, name) DO NOTHING;
    INSERT INTO care_settings (tenant_id) VALUES (t.id) ON CONFLICT DO NOTHING;
    INSERT INTO greeting_rules (id, tenant_id, occasion_key, audience, channel)
    SELECT gen_random_uuid(), t.id, r.key, r.audience, 'sms'
    FROM (VALUES ('intl.new_year', 'all', NULL), ('intl.womens_day', 'all', NULL),
                 ('intl.christmas', 'all', NULL),
                 ('vn.tet', 'domestic', 'VN'), ('vn.national_day', 'domestic', 'VN'),
                 ('tw.lunar_new_year', 'domestic', 'TW'), ('tw.national_day', 'domestic', 'TW'))
         AS r (key, audience, country)
    WHERE r.country IS NULL OR r.country = t.country;
END
$$;
CREATE FUNCTION care_seed_tenant() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM care_seed(NEW);
    RETURN NEW;
END
$$;
CREATE TRIGGER tenants_care_seed AFTER INSERT ON tenants
    FOR EACH ROW EXECUTE FUNCTION care_seed_tenant();

-- A tenant's care schedules follow its time zone.
CREATE FUNCTION care_follow_time_zone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schedules SET time_zone = NEW.time_zone, updated_at = now(),
        next_run_at = care_next_local(NEW.time_zone,
            CASE name WHEN 'care.birthdays' THEN time '07:00'
                      WHEN 'care.digest' THEN time '07:30' END)
    WHERE tenant_id = NEW.id AND name IN ('care.birthdays', 'care.digest', 'care.greetings')
      AND time_zone = OLD.time_zone AND cron IN ('0 7 * * *', '30 7 * * *', '0 * * * *');
    RETURN NEW;
END
$$;
CREATE TRIGGER tenants_care_time_zone AFTER UPDATE OF time_zone ON tenants
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION care_follow_time_zone();

-- Existing tenants: the same as for a new one.
SELECT care_seed(t) FROM tenants t;
