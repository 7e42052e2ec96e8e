DROP TABLE contact_plans;
