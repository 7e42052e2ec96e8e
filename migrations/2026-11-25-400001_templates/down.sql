DROP TABLE templates;
DROP TABLE assets;
