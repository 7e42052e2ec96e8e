-- Outbound channels: per-tenant SMTP/SMS settings, the message log,
-- suppressions, and webhook endpoints with their delivery log.

-- A tenant's own transports; absent fields fall back to the system default.
-- Secrets are sealed (XChaCha20-Poly1305, per-purpose keys) and never returned.
CREATE TABLE channel_settings (
    tenant_id            uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    smtp_host            text,
    smtp_port            integer CHECK (smtp_port BETWEEN 1 AND 65535),
    smtp_security        text CHECK (smtp_security IN ('none', 'starttls', 'tls')),
    smtp_username        text,
    smtp_password_sealed bytea,
    mail_from            text,
    -- The tenant's sending domain: the right-hand side of its Message-IDs.
    mail_domain          text,
    sms_provider         text CHECK (sms_provider IN ('twilio', 'http')),
    -- Non-secret provider settings (URLs, templates, sender).
    sms_config           jsonb NOT NULL DEFAULT '{}',
    -- The provider's auth token or the gateway's auth header value.
    sms_secret_sealed    bytea,
    -- Hours SMS may reach guests, in the guest's time zone.
    quiet_start          time NOT NULL DEFAULT '08:00',
    quiet_end            time NOT NULL DEFAULT '21:00',
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Every message sent (or not) to a guest or staff member.
CREATE TABLE messages (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- The guest it is for; linked to guests by a later migration.
    guest_id           uuid,
    channel            text NOT NULL CHECK (channel IN ('email', 'sms')),
    -- What it is for (`promotion`, `feedback_ack`, `webhook_disabled`, …).
    purpose            text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 64),
    -- marketing: List-Unsubscribe; auto_reply: Auto-Submitted.
    category           text NOT NULL CHECK (category IN ('service', 'marketing', 'auto_reply')),
    template_key       text,
    language           text,
    -- The address or E.164 number; needed to send, never logged.
    recipient          text NOT NULL,
    -- The recipient's IANA time zone for quiet hours; NULL: the tenant's.
    time_zone          text,
    subject            text,
    body_text          text NOT NULL,
    body_html          text,
    unsubscribe_url    text,
    status             text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'sent', 'failed', 'suppressed', 'bounced')),
    suppression_reason text CHECK (suppression_reason IN ('hard_bounce', 'unsubscribe', 'manual')),
    provider_id        text,
    attempts           integer NOT NULL DEFAULT 0,
    last_error         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    sent_at            timestamptz,
    failed_at          timestamptz,
    CHECK ((status = 'suppressed') = (suppression_reason IS NOT NULL)),
    CHECK (channel = 'email' OR (body_html IS NULL AND subject IS NULL))
);
CREATE INDEX messages_tenant_idx ON messages (tenant_id, id);
CREATE INDEX messages_tenant_status_idx ON messages (tenant_id, status, id);
CREATE INDEX messages_tenant_guest_idx ON messages (tenant_id, guest_id, id) WHERE guest_id IS NOT NULL;

-- Inline images (referenced as cid:<content_id>) and attachments of an e-mail.
CREATE TABLE message_parts (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    message_id   uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    disposition  text NOT NULL CHECK (disposition IN ('inline', 'attachment')),
    content_id   text,
    filename     text NOT NULL,
    content_type text NOT NULL,
    data         bytea NOT NULL,
    CHECK ((disposition = 'inline') = (content_id IS NOT NULL))
);
CREATE INDEX message_parts_message_idx ON message_parts (tenant_id, message_id);

-- Addresses that must not be written to again on a channel.
CREATE TABLE suppressions (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel        text NOT NULL CHECK (channel IN ('email', 'sms')),
    -- SHA-256 of the canonical address: lookups without keeping the address.
    address_digest bytea NOT NULL,
    reason         text NOT NULL CHECK (reason IN ('hard_bounce', 'unsubscribe', 'manual')),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX suppressions_address_key ON suppressions (tenant_id, channel, address_digest);

CREATE TABLE webhook_endpoints (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url            text NOT NULL,
    description    text NOT NULL DEFAULT '',
    -- `whsec_…`, sealed; shown once at creation and rotation.
    secret_sealed  bytea NOT NULL,
    event_types    text[] NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_reason text,
    -- Start of the current run of failed deliveries; NULL after a success.
    failing_since  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id, id);

-- One event for one endpoint; its id is the `webhook-id` header.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status_code integer,
    last_duration_ms integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (tenant_id, endpoint_id, id);
