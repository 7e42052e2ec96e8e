DROP TABLE care_tasks;
