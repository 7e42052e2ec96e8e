DROP TABLE occasions;
