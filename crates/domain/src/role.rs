//! Staff roles and what each may do.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The role of a staff user or an API key inside one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the tenant: manages staff, keys and settings; sees everything.
    Owner,
    /// Runs the care team: campaigns, rules, queues, reports.
    Manager,
    /// Cares for guests: guests, tasks, tickets, messages.
    CareAgent,
    /// Registers guests and stays at the front desk.
    FrontDesk,
    /// Reads everything, including the audit log; changes nothing.
    Auditor,
}

/// Something a request may want to do. Each route names the permission it
/// needs; [`Role::can`] is the single place that decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read tenant data (guests, tickets, reports).
    Read,
    /// Create or change guests, stays, tasks and tickets.
    WriteGuests,
    /// Configure care: templates, rules, campaigns, surveys, mailboxes, webhooks, jobs.
    Manage,
    /// Manage staff users and the tenant's settings.
    Administer,
    /// Create and revoke API keys.
    ManageKeys,
    /// Read the audit log.
    ReadAudit,
    /// See national ID and passport numbers in clear.
    ViewNationalId,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Manager,
        Role::CareAgent,
        Role::FrontDesk,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::CareAgent => "care_agent",
            Role::FrontDesk => "front_desk",
            Role::Auditor => "auditor",
        }
    }

    /// Whether this role grants `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Manager => !matches!(permission, Administer | ReadAudit),
            Role::CareAgent | Role::FrontDesk => matches!(permission, Read | WriteGuests),
            Role::Auditor => matches!(permission, Read | ReadAudit),
        }
    }

    /// Whether a holder of this role may hand out `other` (to a new user or
    /// key): nobody can grant more than they hold.
    pub fn can_grant(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Manager => other != Role::Owner,
            _ => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "invalid_role",
                    "Role must be one of owner, manager, care_agent, front_desk, auditor.",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditor_reads_but_never_writes() {
        assert!(Role::Auditor.can(Permission::Read));
        assert!(Role::Auditor.can(Permission::ReadAudit));
        assert!(!Role::Auditor.can(Permission::WriteGuests));
        assert!(!Role::Auditor.can(Permission::ViewNationalId));
    }

    #[test]
    fn only_owner_and_auditor_read_the_audit_log() {
        for role in Role::ALL {
            assert_eq!(
                role.can(Permission::ReadAudit),
                matches!(role, Role::Owner | Role::Auditor)
            );
        }
    }

    #[test]
    fn only_owner_administers() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::Administer), role == Role::Owner);
        }
    }

    #[test]
    fn managers_cannot_mint_owners() {
        assert!(!Role::Manager.can_grant(Role::Owner));
        assert!(Role::Manager.can_grant(Role::CareAgent));
        assert!(!Role::CareAgent.can_grant(Role::FrontDesk));
    }

    #[test]
    fn round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }
}
