-- Periodic contact plans: every guest of a segment gets a call task at most
-- once every `every_days` days (spread over the period by a per-guest phase).
CREATE TABLE contact_plans (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE RESTRICT,
    every_days integer NOT NULL CHECK (every_days BETWEEN 1 AND 366),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_plans_tenant_idx ON contact_plans (tenant_id, id);
CREATE INDEX contact_plans_segment_idx ON contact_plans (segment_id);
