ALTER TABLE channel_settings DROP COLUMN marketing_cap_days, DROP COLUMN marketing_cap;
DROP INDEX messages_guest_marketing_idx;
DROP INDEX messages_dedupe_key;
ALTER TABLE messages DROP COLUMN dedupe_key;
DELETE FROM messages WHERE suppression_reason IN ('no_consent', 'suppressed_address', 'frequency_cap', 'no_address');
ALTER TABLE messages DROP CONSTRAINT messages_suppression_reason_check;
ALTER TABLE messages ADD CONSTRAINT messages_suppression_reason_check
    CHECK (suppression_reason IN ('hard_bounce', 'unsubscribe', 'manual'));
