-- Tickets: what guests ask or complain about, from e-mail or any desk
-- channel, with their entries (guest messages, public replies, internal
-- notes, status changes, escalations), the complaint clocks, satisfaction
-- ratings, canned responses and problem-type checklists. Outbound messages
-- that answer a guest's e-mail keep its Message-ID for threading.

ALTER TABLE messages ADD COLUMN in_reply_to text CHECK (length(in_reply_to) <= 998);

-- A tenant's ticket rules; no row means the defaults.
CREATE TABLE ticket_settings (
    tenant_id                uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    departments              text[] NOT NULL DEFAULT ARRAY['front_desk', 'housekeeping',
                                 'food_beverage', 'sales', 'accounting', 'technical']
                                 CHECK (cardinality(departments) BETWEEN 1 AND 50),
    first_reply_hours        integer NOT NULL DEFAULT 48 CHECK (first_reply_hours BETWEEN 1 AND 8760),
    resolution_hours         integer NOT NULL DEFAULT 480 CHECK (resolution_hours BETWEEN 1 AND 8760),
    warn_before_hours        integer NOT NULL DEFAULT 12 CHECK (warn_before_hours BETWEEN 0 AND 8760),
    service_window_days      integer NOT NULL DEFAULT 90 CHECK (service_window_days BETWEEN 1 AND 3650),
    business_window_days     integer NOT NULL DEFAULT 30 CHECK (business_window_days BETWEEN 1 AND 3650),
    satisfaction_after_hours integer NOT NULL DEFAULT 72 CHECK (satisfaction_after_hours BETWEEN 1 AND 8760),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The last ticket number handed out per tenant (numbers are `T-{n}`).
CREATE TABLE ticket_counters (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    last_number bigint NOT NULL
);

CREATE TABLE tickets (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    number              bigint NOT NULL CHECK (number > 0),
    channel             text NOT NULL CHECK (channel IN ('email', 'phone', 'walk_in', 'web_form',
                            'chat', 'zalo', 'facebook', 'post', 'api')),
    category            text NOT NULL CHECK (category IN ('inquiry', 'feedback', 'complaint',
                            'request', 'booking')),
    department          text NOT NULL CHECK (department ~ '^[a-z0-9_]{1,32}$'),
    priority            text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status              text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending_guest',
                            'resolved', 'closed', 'reopened')),
    subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    guest_id            uuid REFERENCES guests (id) ON DELETE SET NULL,
    assignee_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The guest's last e-mail Message-ID: public replies answer it.
    last_guest_message_id text CHECK (length(last_guest_message_id) <= 998),
    -- Complaints: the incident and whether it is within its window.
    incident_on         date,
    complaint_type      text CHECK (complaint_type IN ('service_quality', 'business')),
    within_window       boolean,
    final_outcome       text CHECK (final_outcome IN ('resolved', 'mediated', 'escalated_to_authority')),
    round               integer NOT NULL DEFAULT 1 CHECK (round >= 1),
    -- The clocks of the current round (see guestcare_domain::tickets::clock).
    clock_started_at    timestamptz NOT NULL,
    paused_secs         bigint NOT NULL DEFAULT 0 CHECK (paused_secs >= 0),
    paused_since        timestamptz,
    first_replied_at    timestamptz,
    resolved_at         timestamptz,
    closed_at           timestamptz,
    first_reply_warned_at   timestamptz,
    first_reply_breached_at timestamptz,
    resolution_warned_at    timestamptz,
    resolution_breached_at  timestamptz,
    merged_into         uuid REFERENCES tickets (id) ON DELETE SET NULL,
    checklist           jsonb NOT NULL DEFAULT '[]',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, number)
);
CREATE INDEX tickets_tenant_idx ON tickets (tenant_id, id);
CREATE INDEX tickets_queue_idx ON tickets (tenant_id, status, department);
CREATE INDEX tickets_assignee_idx ON tickets (tenant_id, assignee_id, status);
CREATE INDEX tickets_guest_idx ON tickets (tenant_id, guest_id);
CREATE INDEX tickets_clock_idx ON tickets (tenant_id)
    WHERE category = 'complaint' AND status IN ('new', 'open', 'reopened');

-- Everything that happened on a ticket, oldest first.
CREATE TABLE ticket_entries (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    ticket_id          uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind               text NOT NULL CHECK (kind IN ('guest_message', 'public_reply', 'internal_note',
                           'acknowledgement', 'status', 'assignment', 'escalation', 'merge',
                           'sla', 'satisfaction', 'attachment', 'checklist')),
    body_text          text CHECK (length(body_text) <= 100000),
    body_html          text CHECK (length(body_html) <= 500000),
    -- The inbound e-mail the guest's message came from (the inbound store).
    inbound_message_id uuid,
    -- The outbound message of a reply or acknowledgement.
    message_id         uuid REFERENCES messages (id) ON DELETE SET NULL,
    data               jsonb NOT NULL DEFAULT '{}',
    actor_type         text NOT NULL,
    actor_id           uuid,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_entries_ticket_idx ON ticket_entries (tenant_id, ticket_id, id);
CREATE INDEX ticket_entries_message_idx ON ticket_entries (tenant_id, message_id)
    WHERE message_id IS NOT NULL;

-- The guest's satisfaction with a ticket: one answer per ticket, credited
-- to the agent assigned when it was given.
CREATE TABLE ticket_ratings (
    ticket_id  uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    rating     text NOT NULL CHECK (rating IN ('excellent', 'good', 'fair', 'poor')),
    comment    text CHECK (length(comment) <= 4000),
    agent_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_ratings_agent_idx ON ticket_ratings (tenant_id, agent_id);

-- Evidence and attachments: private to staff (no public token).
CREATE TABLE ticket_attachments (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    ticket_id    uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 255),
    byte_size    integer NOT NULL CHECK (byte_size >= 0),
    sha256       bytea NOT NULL,
    bytes        bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (tenant_id, ticket_id, id);

-- Reusable answers with template variables.
CREATE TABLE canned_responses (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- The steps to follow for a recurring problem type (`noise`, `ac_broken`).
CREATE TABLE ticket_checklists (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    problem_type text NOT NULL CHECK (problem_type ~ '^[a-z0-9_]{1,64}$'),
    steps        text[] NOT NULL CHECK (cardinality(steps) BETWEEN 1 AND 50),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, problem_type)
);

-- The complaint clocks are scanned every five minutes (system schedule).
INSERT INTO schedules (id, tenant_id, name, cron, time_zone, queue, kind, next_run_at)
VALUES (gen_random_uuid(), NULL, 'tickets.sla', '*/5 * * * *', 'UTC', 'default', 'ticket_sla_scan',
        date_trunc('minute', now()) + interval '1 minute');
