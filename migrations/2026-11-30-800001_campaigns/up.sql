-- E-mail campaigns: one text in several languages to an audience of guests,
-- sent at a rate, with the audience frozen into campaign_recipients when
-- sending starts (see guestcare_db::campaigns).
CREATE TABLE campaigns (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    -- guestcare_domain::campaigns::Audience as JSON.
    audience        jsonb NOT NULL CHECK (jsonb_typeof(audience) = 'object'),
    -- {"vi": {"subject", "html", "text"}, "en": …, "zh-Hant": …}.
    variants        jsonb NOT NULL CHECK (jsonb_typeof(variants) = 'object'),
    -- The variant for guests whose language has none.
    default_language text NOT NULL,
    -- The display name of the From header (the address is the tenant's).
    sender_name     text CHECK (length(sender_name) BETWEEN 1 AND 100),
    -- now | at (send_at) | guest_local (local_date + local_time in each guest's zone).
    schedule        text NOT NULL DEFAULT 'now' CHECK (schedule IN ('now', 'at', 'guest_local')),
    send_at         timestamptz,
    local_date      date,
    local_time      time,
    rate_per_minute integer NOT NULL DEFAULT 600 CHECK (rate_per_minute BETWEEN 1 AND 1000000),
    track_opens     boolean NOT NULL DEFAULT false,
    -- The live dispatch chain: a dispatch job runs only if its payload's
    -- sequence is this one (resume starts a new chain, ending the old).
    dispatch_seq    integer NOT NULL DEFAULT 0,
    recipients      integer,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    CHECK ((schedule = 'at') = (send_at IS NOT NULL)),
    CHECK ((schedule = 'guest_local') = (local_date IS NOT NULL AND local_time IS NOT NULL))
);
CREATE INDEX campaigns_tenant_idx ON campaigns (tenant_id, id);

-- The frozen audience: one row per guest and campaign, whatever happens.
CREATE TABLE campaign_recipients (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    guest_id    uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    -- The first of the campaign's segments that selected the guest.
    segment_id  uuid,
    -- Not before (the campaign's start, or the guest's own local time).
    send_after  timestamptz NOT NULL,
    -- The message send_to_guest recorded (queued or suppressed); NULL and no error: pending.
    message_id  uuid REFERENCES messages (id) ON DELETE SET NULL,
    -- Why no message could be written (the text failed to render for the guest).
    error       text,
    opened_at   timestamptz,
    clicked_at  timestamptz,
    PRIMARY KEY (campaign_id, guest_id)
);
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id, send_after, guest_id)
    WHERE message_id IS NULL AND error IS NULL;
CREATE INDEX campaign_recipients_tenant_idx ON campaign_recipients (tenant_id, campaign_id);

-- Clicks on a campaign's signed redirect links.
CREATE TABLE campaign_clicks (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    guest_id    uuid NOT NULL,
    url         text NOT NULL,
    clicked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_clicks_campaign_idx ON campaign_clicks (tenant_id, campaign_id);

-- The display name a message's From header carries (campaign sender identity).
ALTER TABLE messages ADD COLUMN from_name text;
