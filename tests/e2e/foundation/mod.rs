//! The foundation: authentication, roles, tenancy, the API's frame, the CLI.

mod auth;
mod cli;
mod errors;
mod idempotency;
mod isolation;
mod openapi;
mod operations;
mod pagination;
