//! Care work: the vocabulary of care tasks, and the date rules of the daily
//! care scans (birthdays, greetings).

pub mod birthday;
pub mod script;
pub mod tasks;
