-- Images and files staff upload for e-mails: served publicly under an
-- unguessable token for hosted images, attached or embedded inline (cid:)
-- by senders.
CREATE TABLE assets (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    public_token  text NOT NULL UNIQUE CHECK (public_token ~ '^[A-Za-z0-9_-]{22,64}$'),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    byte_size     integer NOT NULL CHECK (byte_size > 0),
    sha256        bytea NOT NULL CHECK (length(sha256) = 32),
    bytes         bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_tenant_idx ON assets (tenant_id, id);

-- A tenant's own message templates, one per purpose, channel and language;
-- where a tenant has none the built-in text applies.
CREATE TABLE templates (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    purpose           text NOT NULL CHECK (purpose IN ('promotion', 'holiday_greeting', 'birthday',
                          'feedback_acknowledgement', 'survey_invitation', 'reminder', 'ticket_reply',
                          'satisfaction_survey', 'booking_confirmation', 'staff_digest')),
    channel           text NOT NULL CHECK (channel IN ('email', 'sms')),
    language          text NOT NULL CHECK (language IN ('vi', 'en', 'zh-Hant')),
    subject           text,
    html              text,
    body              text NOT NULL,
    strip_diacritics  boolean NOT NULL DEFAULT false,
    -- Assets the HTML embeds inline (cid:) and assets attached to every message.
    inline_asset_ids  uuid[] NOT NULL DEFAULT '{}',
    attachment_ids    uuid[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- E-mail: subject, html and the plain-text part in body; SMS: body only.
    CHECK ((channel = 'email') = (subject IS NOT NULL AND html IS NOT NULL)),
    CHECK (channel = 'sms' OR NOT strip_diacritics),
    CHECK (channel = 'email' OR (inline_asset_ids = '{}' AND attachment_ids = '{}'))
);
CREATE UNIQUE INDEX templates_tenant_key_key ON templates (tenant_id, purpose, channel, language);
