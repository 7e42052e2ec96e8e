ALTER TABLE messages DROP COLUMN parts_of;
