//! Which template a message uses.

use serde::Serialize;

use crate::Language;

/// Where the chosen template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "source", content = "language", rename_all = "snake_case")]
pub enum Source {
    /// The tenant's own template in this language.
    Tenant(Language),
    /// The built-in text in this language.
    Builtin(Language),
}

/// The template for a guest who reads `guest_language`, at a tenant whose
/// default language is `tenant_default`, in this order: the tenant's own
/// template in the guest's language, the built-in one in the guest's
/// language, the tenant's own in its default language, the built-in one in
/// the default language. `has_tenant` and `has_builtin` say which exist (for
/// the purpose and channel at hand); `None` if none does.
pub fn select(
    guest_language: Language,
    tenant_default: Language,
    has_tenant: impl Fn(Language) -> bool,
    has_builtin: impl Fn(Language) -> bool,
) -> Option<Source> {
    [
        Source::Tenant(guest_language),
        Source::Builtin(guest_language),
        Source::Tenant(tenant_default),
        Source::Builtin(tenant_default),
    ]
    .into_iter()
    .find(|source| match *source {
        Source::Tenant(language) => has_tenant(language),
        Source::Builtin(language) => has_builtin(language),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Vi, ZhHant};

    #[test]
    fn fallback_order() {
        let all = |_| true;
        let none = |_| false;
        // The tenant's own text in the guest's language wins.
        assert_eq!(select(ZhHant, Vi, all, all), Some(Source::Tenant(ZhHant)));
        // Then the built-in text in the guest's language, even when the
        // tenant wrote its own in the default language.
        assert_eq!(
            select(ZhHant, Vi, |l| l == Vi, all),
            Some(Source::Builtin(ZhHant))
        );
        // Without a built-in in the guest's language, the tenant's default.
        assert_eq!(
            select(ZhHant, Vi, |l| l == Vi, |l| l != ZhHant),
            Some(Source::Tenant(Vi))
        );
        assert_eq!(
            select(ZhHant, En, none, |l| l == En),
            Some(Source::Builtin(En))
        );
        assert_eq!(select(ZhHant, En, none, none), None);
    }
}
