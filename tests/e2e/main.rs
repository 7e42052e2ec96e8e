//! End-to-end tests: the real API, worker and CLI against real servers.
//!
//! One test binary with a module per area (one binary links once, which
//! matters on small machines). Each test gets a fresh database.

mod campaigns;
mod care;
mod channels;
mod foundation;
mod guests;
mod holidays;
mod imports;
mod inbound;
mod migrations;
mod queue;
mod reminders;
mod segments;
mod support;
mod surveys;
mod templates;
mod tickets;
