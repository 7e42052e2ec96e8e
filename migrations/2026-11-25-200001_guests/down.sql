DROP TABLE guest_merges;
DROP TABLE timeline_entries;
DROP TABLE tier_changes;
DROP TABLE consent_events;
DROP TABLE consents;
DROP TABLE stays;
DROP TABLE guests;
DROP TABLE guest_code_counters;
DROP EXTENSION IF EXISTS pg_trgm;
