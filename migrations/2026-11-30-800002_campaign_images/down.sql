ALTER TABLE campaigns DROP COLUMN image_carriers;
