-- Inbound mail: the tenants' IMAP mailboxes, every message fetched from them
-- (raw and parsed, or quarantined), their attachments, and soft-bounce counts.

-- A mailbox the worker polls (`poll_imap`, through the schedule `mailbox:{id}`).
CREATE TABLE mailboxes (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- What its mail becomes: feedback and support → tickets; survey_replies → survey answers.
    purpose            text NOT NULL CHECK (purpose IN ('feedback', 'support', 'survey_replies')),
    host               text NOT NULL,
    port               integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    -- none only for a server on loopback (checked by the API).
    security           text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
    username           text NOT NULL,
    -- Sealed under the `imap-password` purpose, bound to tenant ‖ mailbox; never returned.
    secret_sealed      bytea NOT NULL,
    folder             text NOT NULL DEFAULT 'INBOX',
    -- After a message is stored: flag it \Seen, or move it to processed_folder.
    processed_action   text NOT NULL DEFAULT 'flag' CHECK (processed_action IN ('flag', 'move')),
    processed_folder   text,
    poll_interval_secs integer NOT NULL DEFAULT 60 CHECK (poll_interval_secs BETWEEN 2 AND 3600),
    active             boolean NOT NULL DEFAULT true,
    -- The cursor: the folder's UIDVALIDITY and the last UID stored under it.
    uid_validity       bigint,
    last_uid           bigint NOT NULL DEFAULT 0,
    last_polled_at     timestamptz,
    -- The last poll's failure (connection, login), cleared by a good poll; no personal data.
    last_error         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name),
    CHECK ((processed_action = 'move') = (processed_folder IS NOT NULL))
);
CREATE INDEX mailboxes_tenant_idx ON mailboxes (tenant_id, id);

-- Every message fetched, exactly once per tenant.
CREATE TABLE inbound_messages (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    mailbox_id       uuid REFERENCES mailboxes (id) ON DELETE SET NULL,
    uid_validity     bigint NOT NULL,
    uid              bigint NOT NULL,
    -- The Message-ID without <>; a message without one gets `sha256:{hex of raw}`.
    message_id       text NOT NULL,
    -- What became of it.
    disposition      text NOT NULL CHECK (disposition IN
                     ('ticket', 'reply', 'bounce', 'survey_reply', 'survey_pending', 'ignored', 'quarantined')),
    quarantine_reason text,
    -- Why a message was ignored (our own message, a loop) or not acknowledged.
    note             text,
    size             integer NOT NULL,
    -- The whole message (only the header for one over the size limit).
    raw              bytea NOT NULL,
    from_address     text,
    from_name        text,
    subject          text,
    in_reply_to      text,
    "references"     text[] NOT NULL DEFAULT '{}',
    sent_at          timestamptz,
    body_text        text,
    -- Sanitised (ammonia) before it is stored: safe to render.
    body_html        text,
    guest_id         uuid REFERENCES guests (id) ON DELETE SET NULL,
    ticket_id        uuid REFERENCES tickets (id) ON DELETE SET NULL,
    -- For a bounce: the outbound message it reports on, and its status code.
    bounced_message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
    bounce_status    text,
    -- The acknowledgement queued for it, if one was allowed.
    ack_message_id   uuid REFERENCES messages (id) ON DELETE SET NULL,
    acked_at         timestamptz,
    received_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, message_id),
    UNIQUE (mailbox_id, uid_validity, uid),
    CHECK ((disposition = 'quarantined') = (quarantine_reason IS NOT NULL))
);
CREATE INDEX inbound_messages_tenant_idx ON inbound_messages (tenant_id, id);
CREATE INDEX inbound_messages_ack_idx ON inbound_messages (tenant_id, lower(from_address), acked_at)
    WHERE acked_at IS NOT NULL;
CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (tenant_id, ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX inbound_messages_pending_idx ON inbound_messages (tenant_id, id) WHERE disposition = 'survey_pending';

-- Attachments of inbound messages; `data` is NULL when it was over the size limit.
CREATE TABLE inbound_attachments (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    inbound_message_id uuid NOT NULL REFERENCES inbound_messages (id) ON DELETE CASCADE,
    filename           text NOT NULL,
    content_type       text NOT NULL,
    size               integer NOT NULL,
    data               bytea
);
CREATE INDEX inbound_attachments_message_idx ON inbound_attachments (tenant_id, inbound_message_id);

-- Soft bounces per address (a digest, as in suppressions) until the threshold suppresses it.
CREATE TABLE soft_bounces (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    address_digest bytea NOT NULL,
    count          integer NOT NULL DEFAULT 0,
    last_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, address_digest)
);

-- An address whose soft bounces reached the threshold is suppressed too.
ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check,
    ADD CONSTRAINT suppressions_reason_check
    CHECK (reason IN ('hard_bounce', 'soft_bounces', 'unsubscribe', 'manual'));
ALTER TABLE messages DROP CONSTRAINT messages_suppression_reason_check,
    ADD CONSTRAINT messages_suppression_reason_check
    CHECK (suppression_reason IN ('hard_bounce', 'soft_bounces', 'unsubscribe', 'manual',
                                  'no_consent', 'suppressed_address', 'frequency_cap', 'no_address'));
