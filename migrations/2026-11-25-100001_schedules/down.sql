DROP INDEX jobs_failed_idx;
DROP TABLE schedules;
