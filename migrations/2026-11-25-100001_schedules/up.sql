-- Recurring work: each schedule enqueues one job per cron occurrence,
-- computed in the schedule's time zone. `next_run_at` is the durable cursor:
-- it advances in the same transaction that enqueues the occurrence's job,
-- under a row lock, so no occurrence is enqueued twice by two workers, a
-- restart or a clock jump.

CREATE TABLE schedules (
    id          uuid PRIMARY KEY,
    -- NULL for system schedules that belong to no tenant.
    tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
    -- A stable key within the tenant, e.g. `birthday_scan`.
    name        text NOT NULL CHECK (name ~ '^[a-z0-9_.:-]{1,100}$'),
    -- Five fields (minute hour day month weekday) or six with seconds first.
    cron        text NOT NULL,
    time_zone   text NOT NULL,
    queue       text NOT NULL,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    active      boolean NOT NULL DEFAULT true,
    -- The first occurrence not yet enqueued.
    next_run_at timestamptz NOT NULL,
    last_occurrence_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);

CREATE INDEX schedules_due_idx ON schedules (next_run_at) WHERE active;

-- Failed jobs stay until retried; the metrics sample counts them often.
CREATE INDEX jobs_failed_idx ON jobs (queue) WHERE status = 'failed';
