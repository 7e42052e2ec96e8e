-- Sending to guests: why a message was held back, the caller's dedupe key,
-- and the tenant's marketing frequency cap.
ALTER TABLE messages DROP CONSTRAINT messages_suppression_reason_check;
ALTER TABLE messages ADD CONSTRAINT messages_suppression_reason_check
    CHECK (suppression_reason IN ('hard_bounce', 'unsubscribe', 'manual',
                                  'no_consent', 'suppressed_address', 'frequency_cap', 'no_address'));
-- One message per caller's occurrence (rule + guest + occurrence, an API
-- Idempotency-Key): a repeat returns the first message.
ALTER TABLE messages ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX messages_dedupe_key ON messages (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- The frequency cap counts a guest's recent marketing messages.
CREATE INDEX messages_guest_marketing_idx ON messages (tenant_id, guest_id, created_at)
    WHERE category = 'marketing' AND status IN ('queued', 'sent');

-- At most `marketing_cap` marketing messages per guest in `marketing_cap_days` days.
ALTER TABLE channel_settings
    ADD COLUMN marketing_cap integer NOT NULL DEFAULT 2 CHECK (marketing_cap BETWEEN 0 AND 100),
    ADD COLUMN marketing_cap_days integer NOT NULL DEFAULT 7 CHECK (marketing_cap_days BETWEEN 1 AND 365);
