-- Dated facts about a guest that reminders count from: a membership, contract
-- or voucher expiry (one date per guest and kind; renewing replaces it).
CREATE TABLE guest_dates (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id   uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
    date       date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guest_id, kind)
);
CREATE INDEX guest_dates_tenant_kind_date_idx ON guest_dates (tenant_id, kind, date);

-- Reminder schedules: steps at offsets from an anchor date (a guest date, a
-- stay's check-out, the last stay, the care period's end) or hours after an
-- event. `steps` is a JSON array validated by guestcare_domain::reminders.
CREATE TABLE reminder_rules (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    anchor           text NOT NULL
        CHECK (anchor IN ('guest_date', 'stay_check_out', 'last_stay', 'care_period_end', 'event')),
    -- The guest date's kind (anchor guest_date) or the event's name (anchor event).
    anchor_key       text CHECK (anchor_key ~ '^[a-z][a-z0-9_.]{0,39}$'),
    steps            jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array'),
    stop_on_new_stay boolean NOT NULL DEFAULT false,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((anchor IN ('guest_date', 'event')) = (anchor_key IS NOT NULL))
);
CREATE INDEX reminder_rules_tenant_idx ON reminder_rules (tenant_id, id);
