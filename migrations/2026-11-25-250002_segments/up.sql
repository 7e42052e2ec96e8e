-- Dynamic segments: a named, saved filter over guests (see
-- guestcare_domain::segment::Filter), evaluated in SQL each time it is read.
CREATE TABLE segments (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    filter     jsonb NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_tenant_name_key ON segments (tenant_id, name);
CREATE INDEX segments_tenant_idx ON segments (tenant_id, id);

-- What segment conditions on spend read: a guest's stays in one currency.
CREATE INDEX stays_spend_idx ON stays (tenant_id, currency, guest_id) INCLUDE (amount_minor)
    WHERE amount_minor IS NOT NULL;
