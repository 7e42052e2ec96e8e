-- Care tasks: calls, gifts, visits and follow-ups the care team owes a guest,
-- created by staff or by automations (birthday scans, contact plans,
-- reminders). An automation's task carries an occurrence key, unique per
-- tenant, so re-running it never creates a second task.
CREATE TABLE care_tasks (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('call', 'gift', 'visit', 'follow_up')),
    guest_id       uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    assignee_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    due_on         date NOT NULL,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    script         text CHECK (length(script) <= 4000),
    context        jsonb NOT NULL DEFAULT '{}',
    source         text NOT NULL CHECK (source ~ '^[a-z_]{1,32}$'),
    occurrence_key text CHECK (length(occurrence_key) BETWEEN 1 AND 200),
    outcome        text CHECK (outcome IN ('reached', 'no_answer', 'call_back', 'wrong_number')),
    outcome_notes  text CHECK (length(outcome_notes) <= 2000),
    call_back_at   timestamptz,
    attempts       integer NOT NULL DEFAULT 0,
    closed_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((outcome = 'call_back') = (call_back_at IS NOT NULL)),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX care_tasks_occurrence_key ON care_tasks (tenant_id, occurrence_key)
    WHERE occurrence_key IS NOT NULL;
CREATE INDEX care_tasks_tenant_idx ON care_tasks (tenant_id, id);
CREATE INDEX care_tasks_open_due_idx ON care_tasks (tenant_id, due_on) WHERE status = 'open';
CREATE INDEX care_tasks_assignee_idx ON care_tasks (tenant_id, assignee_id, status);
CREATE INDEX care_tasks_guest_idx ON care_tasks (tenant_id, guest_id);
