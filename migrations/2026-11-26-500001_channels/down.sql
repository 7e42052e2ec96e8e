DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE suppressions;
DROP TABLE message_parts;
DROP TABLE messages;
DROP TABLE channel_settings;
