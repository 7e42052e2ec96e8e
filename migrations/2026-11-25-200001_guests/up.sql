-- The guest registry: guests, their stays, consent (state and history), tier
-- history, the timeline of every contact, and reversible merges.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The last guest code number handed out per tenant (codes G-000001, …).
CREATE TABLE guest_code_counters (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    last_number bigint NOT NULL CHECK (last_number > 0)
);

-- Text is NFC. `name_folded` is the accent- and case-folded name
-- (guestcare_domain::text::fold) that search matches. The national ID
-- (`type:number`) is sealed (XChaCha20-Poly1305, purpose "national-id", bound
-- to tenant and guest); `national_id_digest` is the keyed HMAC of the number
-- for exact lookups. `email` never holds a booking platform's relay address
-- (those are in `relay_emails`); identity compares lower(email).
-- `care_period` runs from the first check-in to one year after the latest
-- stay ([start, end), see guestcare_domain::guest::care_period).
CREATE TABLE guests (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    code                bigint NOT NULL CHECK (code > 0),
    full_name           text NOT NULL,
    name_folded         text NOT NULL,
    national_id_sealed  bytea,
    national_id_digest  bytea,
    birth_date          date,
    gender              text CHECK (gender IN ('female', 'male', 'other')),
    hometown            text,
    permanent_address   text,
    current_address     text,
    phones              text[] NOT NULL DEFAULT '{}',
    email               text,
    relay_emails        text[] NOT NULL DEFAULT '{}',
    chat_handles        jsonb NOT NULL DEFAULT '[]',
    occupation          text,
    workplace           text,
    emergency_contact   jsonb,
    nationality         text CHECK (nationality ~ '^[A-Z]{2}$'),
    language            text CHECK (language IN ('vi', 'en', 'zh-Hant')),
    time_zone           text,
    source              text,
    needs               text,
    notes               text,
    tags                text[] NOT NULL DEFAULT '{}',
    tier                text CHECK (tier IN ('level_1', 'level_2', 'level_3', 'level_4', 'loyal',
                                             'high_potential', 'low_value', 'negative', 'vip')),
    care_period         daterange,
    merged_into         uuid REFERENCES guests (id) ON DELETE SET NULL,
    erased_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (erased_at IS NOT NULL OR length(full_name) BETWEEN 1 AND 200),
    CHECK ((national_id_sealed IS NULL) = (national_id_digest IS NULL)),
    CHECK (jsonb_typeof(chat_handles) = 'array'),
    CHECK (care_period IS NULL OR NOT isempty(care_period))
);
CREATE UNIQUE INDEX guests_tenant_code_key ON guests (tenant_id, code);
CREATE INDEX guests_tenant_idx ON guests (tenant_id, id);
CREATE INDEX guests_name_trgm_idx ON guests USING gin (name_folded gin_trgm_ops);
CREATE INDEX guests_phones_idx ON guests USING gin (phones);
CREATE INDEX guests_email_idx ON guests (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX guests_national_id_idx ON guests (tenant_id, national_id_digest) WHERE national_id_digest IS NOT NULL;
CREATE INDEX guests_birth_date_idx ON guests (tenant_id, birth_date) WHERE birth_date IS NOT NULL;

-- One visit. Amounts are in minor units of `currency` (VND has none).
CREATE TABLE stays (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id        uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    property        text,
    check_in        date NOT NULL,
    check_out       date,
    room_type       text,
    party_size      smallint CHECK (party_size BETWEEN 1 AND 100),
    booking_channel text,
    amount_minor    bigint CHECK (amount_minor >= 0),
    currency        text CHECK (currency ~ '^[A-Z]{3}$'),
    notes           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (check_out IS NULL OR check_out >= check_in),
    CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX stays_guest_idx ON stays (tenant_id, guest_id, check_in);

-- Consent as it stands, per guest, channel and purpose.
CREATE TABLE consents (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id   uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    channel    text NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'zalo')),
    purpose    text NOT NULL CHECK (purpose IN ('service', 'marketing')),
    status     text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    changed_at timestamptz NOT NULL,
    event_id   uuid NOT NULL,
    PRIMARY KEY (guest_id, channel, purpose)
);
CREATE INDEX consents_tenant_idx ON consents (tenant_id, channel, purpose, status);

-- Every consent change: when, how (`source`) and by whom.
CREATE TABLE consent_events (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id    uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'zalo')),
    purpose     text NOT NULL CHECK (purpose IN ('service', 'marketing')),
    status      text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    occurred_at timestamptz NOT NULL,
    source      text NOT NULL,
    actor_type  text NOT NULL,
    actor_id    uuid,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_guest_idx ON consent_events (tenant_id, guest_id, id);

-- Tiers staff gave a guest, newest last.
CREATE TABLE tier_changes (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id    uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    tier        text,
    previous    text,
    reason      text,
    actor_type  text NOT NULL,
    actor_id    uuid,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tier_changes_guest_idx ON tier_changes (tenant_id, guest_id, id);

-- Every contact with a guest, written only through guestcare_db::timeline::record.
CREATE TABLE timeline_entries (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    guest_id    uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)*$'),
    occurred_at timestamptz NOT NULL,
    summary     jsonb NOT NULL DEFAULT '{}',
    ref_id      uuid,
    actor_type  text NOT NULL,
    actor_id    uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timeline_entries_guest_idx ON timeline_entries (tenant_id, guest_id, occurred_at DESC, id DESC);

-- Two guests joined by hand: `source` was folded into `target`. Enough is kept
-- to undo it: the target's row before the merge and the rows moved over.
CREATE TABLE guest_merges (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    target_id     uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    source_id     uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    target_before jsonb NOT NULL,
    moved         jsonb NOT NULL,
    changes       jsonb NOT NULL,
    actor_type    text NOT NULL,
    actor_id      uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    reverted_at   timestamptz,
    reverted_by   uuid,
    CHECK (target_id <> source_id)
);
CREATE INDEX guest_merges_tenant_idx ON guest_merges (tenant_id, id);
