DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE api_keys;
DROP TABLE users;
DROP TABLE tenants;
