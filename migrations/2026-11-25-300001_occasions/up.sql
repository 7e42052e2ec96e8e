-- A tenant's own yearly occasions (the resort's anniversary, a local festival),
-- listed with the built-in holiday calendars and resolved by the same rules.
CREATE TABLE occasions (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key            text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    name_vi        text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
    name_en        text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    name_zh_hant   text NOT NULL CHECK (length(name_zh_hant) BETWEEN 1 AND 200),
    kind           text NOT NULL CHECK (kind IN ('solar', 'lunar')),
    month          smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            smallint NOT NULL CHECK (day BETWEEN 1 AND 31),
    leap           boolean NOT NULL DEFAULT false,
    lunar_calendar text CHECK (lunar_calendar IN ('vietnamese', 'chinese')),
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'lunar') = (lunar_calendar IS NOT NULL)),
    CHECK (kind = 'lunar' OR NOT leap),
    CHECK (kind = 'solar' OR day <= 30)
);
CREATE UNIQUE INDEX occasions_tenant_key_key ON occasions (tenant_id, key);
CREATE INDEX occasions_tenant_idx ON occasions (tenant_id, id);
