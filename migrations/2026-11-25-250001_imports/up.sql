-- Guest intake files (CSV, XLSX, JSON) and the outcome of each of their rows.
--
-- The upload is stored whole (it is bounded by api.max_import_bytes) and
-- read as a stream by the `import_guests` job, which commits rows in
-- batches: `last_row` is the number of the last row committed, so a job
-- that crashed resumes after it and never applies a row twice.
CREATE TABLE imports (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    format          text NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
    filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content         bytea NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    -- Rows in the file; NULL until the job has counted them.
    rows_total      bigint CHECK (rows_total >= 0),
    rows_done       bigint NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    last_row        bigint NOT NULL DEFAULT 0 CHECK (last_row >= 0),
    created_count   bigint NOT NULL DEFAULT 0 CHECK (created_count >= 0),
    merged_count    bigint NOT NULL DEFAULT 0 CHECK (merged_count >= 0),
    unchanged_count bigint NOT NULL DEFAULT 0 CHECK (unchanged_count >= 0),
    rejected_count  bigint NOT NULL DEFAULT 0 CHECK (rejected_count >= 0),
    -- Why the whole file failed (unreadable, no known column), for people.
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (rows_done = created_count + merged_count + unchanged_count + rejected_count)
);
CREATE INDEX imports_tenant_idx ON imports (tenant_id, id);

-- One row of an import file and what became of it. Rejected rows keep the
-- column at fault, the reason and the row's cells as written (header →
-- text) for the error report; other rows keep the guest they resolved to.
CREATE TABLE import_rows (
    import_id  uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number bigint NOT NULL CHECK (row_number >= 1),
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    outcome    text NOT NULL CHECK (outcome IN ('created', 'merged', 'unchanged', 'rejected')),
    guest_id   uuid,
    column_name text,
    code       text,
    reason     text,
    raw        jsonb,
    PRIMARY KEY (import_id, row_number),
    CHECK ((outcome = 'rejected') = (reason IS NOT NULL AND guest_id IS NULL))
);
CREATE INDEX import_rows_rejected_idx ON import_rows (import_id, row_number)
    WHERE outcome = 'rejected';
