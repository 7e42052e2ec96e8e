-- Messages sent in bulk (campaigns) share one stored copy of their inline
-- images and attachments: `parts_of` names the message whose parts this
-- message carries.
ALTER TABLE messages ADD COLUMN parts_of uuid REFERENCES messages (id);
CREATE INDEX messages_parts_of_idx ON messages (parts_of) WHERE parts_of IS NOT NULL;
