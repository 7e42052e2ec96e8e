DROP INDEX stays_spend_idx;
DROP TABLE segments;
