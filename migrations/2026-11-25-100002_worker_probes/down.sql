DROP TABLE worker_probes;
