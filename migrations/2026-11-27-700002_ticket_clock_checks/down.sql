DELETE FROM jobs WHERE kind = 'ticket_sla_check' AND status = 'pending';
INSERT INTO schedules (id, tenant_id, name, cron, time_zone, queue, kind, next_run_at)
VALUES (gen_random_uuid(), NULL, 'tickets.sla', '*/5 * * * *', 'UTC', 'default', 'ticket_sla_scan',
        date_trunc('minute', now()) + interval '1 minute');
