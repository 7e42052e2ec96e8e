-- Inline images of campaign e-mail are stored once per language variant:
-- as the parts of the first message in that language, which every later
-- message of the variant names in messages.parts_of. {"vi": message id, …}
ALTER TABLE campaigns ADD COLUMN image_carriers jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(image_carriers) = 'object');
