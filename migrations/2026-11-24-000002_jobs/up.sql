-- The job queue: everything guestcare sends or fetches runs as a row here.

CREATE TABLE jobs (
    id           uuid PRIMARY KEY,
    -- NULL for system jobs that belong to no tenant.
    tenant_id    uuid REFERENCES tenants (id) ON DELETE CASCADE,
    queue        text NOT NULL,
    -- A stable name of what to run, e.g. `send_email`.
    kind         text NOT NULL,
    -- Ids, not data: the job reads current rows when it runs.
    payload      jsonb NOT NULL DEFAULT '{}',
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    priority     smallint NOT NULL DEFAULT 0,
    run_at       timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts integer NOT NULL DEFAULT 10 CHECK (max_attempts >= 1),
    -- The lease of the current attempt: which worker, until when.
    locked_by    text,
    locked_until timestamptz,
    last_error   text,
    dedupe_key   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

-- What a runner claims next.
CREATE INDEX jobs_ready_idx ON jobs (queue, priority DESC, run_at) WHERE status = 'pending';
-- What the reaper looks at.
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
-- At most one live job per dedupe key.
CREATE UNIQUE INDEX jobs_dedupe_key_idx ON jobs (dedupe_key)
    WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running');
-- Listing a tenant's jobs through the API.
CREATE INDEX jobs_tenant_idx ON jobs (tenant_id, id);

-- Wake idle runners when jobs arrive: one notification per queue per
-- statement, delivered at commit.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    queue_name text;
BEGIN
    FOR queue_name IN SELECT DISTINCT queue FROM new_jobs WHERE status = 'pending' LOOP
        PERFORM pg_notify('guestcare_jobs', queue_name);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_insert
    AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();
