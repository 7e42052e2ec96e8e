ALTER TABLE messages DROP COLUMN from_name;
DROP TABLE campaign_clicks;
DROP TABLE campaign_recipients;
DROP TABLE campaigns;
