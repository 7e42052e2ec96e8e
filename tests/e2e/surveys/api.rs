//! The survey API: validation with field paths, fixed questions once sent,
//! seeded samples, reminders, results filters, CSV and SVG.
