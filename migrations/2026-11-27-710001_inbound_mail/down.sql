DELETE FROM schedules WHERE kind = 'poll_imap';
UPDATE messages SET suppression_reason = 'hard_bounce' WHERE suppression_reason = 'soft_bounces';
DELETE FROM suppressions WHERE reason = 'soft_bounces';
ALTER TABLE messages DROP CONSTRAINT messages_suppression_reason_check,
    ADD CONSTRAINT messages_suppression_reason_check
    CHECK (suppression_reason IN ('hard_bounce', 'unsubscribe', 'manual',
                                  'no_consent', 'suppressed_address', 'frequency_cap', 'no_address'));
ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check,
    ADD CONSTRAINT suppressions_reason_check
    CHECK (reason IN ('hard_bounce', 'unsubscribe', 'manual'));
DROP TABLE soft_bounces;
DROP TABLE inbound_attachments;
DROP TABLE inbound_messages;
DROP TABLE mailboxes;
