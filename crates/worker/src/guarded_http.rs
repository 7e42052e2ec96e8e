//! An HTTP client for URLs that tenants choose (webhook endpoints, SMS
//! gateways): it refuses to connect to loopback, private, link-local,
//! carrier-grade NAT, unique-local, multicast and cloud metadata addresses
//! unless the host is allow-listed (`security.webhook_allow_hosts`), and it
//! does not follow redirects (a redirect could lead past the check).

use std::{net::SocketAddr, sync::Arc, time::Duration};

use guestcare_domain::channels::net_guard;
use reqwest::{
    Url,
    dns::{Addrs, Name, Resolve, Resolving},
};

/// A request was refused before it was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused: {0}")]
pub struct Refused(pub String);

#[derive(Debug, Clone)]
struct AllowList(Arc<Vec<String>>);

impl AllowList {
    fn allows(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.0
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }
}

/// Resolves names, dropping addresses that are not public unless the name
/// is allow-listed.
#[derive(Debug, Clone)]
struct GuardedResolver {
    allow: AllowList,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = allow.allows(&host);
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| allowed || !net_guard::is_forbidden(addr.ip()))
                .collect();
            if usable.is_empty() {
                let refused: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(Refused(format!("{host} resolves to no public address")));
                return Err(refused);
            }
            let addrs: Addrs = Box::new(usable.into_iter());
            Ok(addrs)
        })
    }
}

/// The guarded client with its allow-list.
#[derive(Debug, Clone)]
pub struct GuardedClient {
    client: reqwest::Client,
    allow: AllowList,
}

impl GuardedClient {
    pub fn new(allow_hosts: &[String], timeout: Duration) -> reqwest::Result<GuardedClient> {
        let allow = AllowList(Arc::new(allow_hosts.to_vec()));
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver {
                allow: allow.clone(),
            }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .user_agent(concat!("guestcare/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(GuardedClient { client, allow })
    }

    /// The client, once `url` passed the checks that the resolver cannot
    /// make: http(s) only, and an IP-literal host must be public or
    /// allow-listed (literals are never resolved).
    pub fn check(&self, url: &str) -> Result<(&reqwest::Client, Url), Refused> {
        let url = Url::parse(url).map_err(|_| Refused("not a URL".to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refused("only http and https URLs are allowed".to_owned()));
        }
        let host = url
            .host_str()
            .ok_or_else(|| Refused("no host".to_owned()))?;
        let literal = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>();
        if let Ok(ip) = literal
            && net_guard::is_forbidden(ip)
            && !self.allow.allows(host)
        {
            return Err(Refused(format!("{ip} is not a public address")));
        }
        Ok((&self.client, url))
    }
}

/// Whether a failed request was refused by the guard (rather than the
/// network failing).
pub fn is_refused(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = source {
        if err.downcast_ref::<Refused>().is_some() {
            return true;
        }
        source = err.source();
    }
    false
}
