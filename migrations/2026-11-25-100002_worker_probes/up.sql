-- Effects of `probe` jobs: an operator's (and the fault tests') proof that
-- workers run jobs, and run each job's database effect exactly once. Not
-- unique on purpose: a duplicate effect would show as a second row.
CREATE TABLE worker_probes (
    id         bigserial PRIMARY KEY,
    job_id     uuid NOT NULL,
    attempt    integer NOT NULL,
    worker     text NOT NULL,
    label      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX worker_probes_job_idx ON worker_probes (job_id);
