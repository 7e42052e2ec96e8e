-- Complaint clocks are checked by one `ticket_sla_check` job per warning and
-- deadline instant, armed when a clock starts or resumes, instead of a
-- system-wide scan every five minutes (which ran on every worker, whatever
-- the tenants). Complaints already running are armed again when their
-- status next changes or their tenant's ticket settings are saved.
DELETE FROM schedules WHERE tenant_id IS NULL AND name = 'tickets.sla';
DELETE FROM jobs WHERE kind = 'ticket_sla_scan' AND status = 'pending';
