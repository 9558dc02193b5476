//! What a request is evaluated as: who calls, the action, the resource's ARN, and the request
//! context's keys (`aws:username`, `aws:SourceIp`, `aws:CurrentTime`, `aws:RequestedRegion`,
//! `rds:db-tag/<key>`, …). See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};

/// Who makes the request, within its own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// The account's root: allowed everything in its account, whatever the policies say.
    Root,
    /// An IAM user: allowed what its policies allow.
    User,
}

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub principal: Principal,
    /// `service:Action`, e.g. `rds:DeleteDBInstance`.
    pub action: &'a str,
    /// The resource's ARN, or `*` for an action on no resource.
    pub resource: &'a str,
    pub context: &'a Context,
}

/// The request context's keys and their values. Key names are not case-sensitive (IAM's
/// rule); a key may hold several values (`ForAnyValue:`/`ForAllValues:` test them as a set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    keys: HashMap<String, Vec<String>>,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to one value.
    pub fn with(self, key: &str, value: impl Into<String>) -> Self {
        self.with_values(key, [value.into()])
    }

    /// Sets `key` to a set of values.
    pub fn with_values(mut self, key: &str, values: impl IntoIterator<Item = String>) -> Self {
        self.keys
            .insert(key.to_ascii_lowercase(), values.into_iter().collect());
        self
    }

    /// `aws:username`: the calling user's name.
    pub fn user_name(self, name: &str) -> Self {
        self.with("aws:username", name)
    }

    /// `aws:SourceIp`: the caller's address.
    pub fn source_ip(self, ip: IpAddr) -> Self {
        self.with("aws:SourceIp", ip.to_string())
    }

    /// `aws:CurrentTime` (ISO 8601) and `aws:EpochTime` (seconds) of the request.
    pub fn current_time(self, now: DateTime<Utc>) -> Self {
        self.with(
            "aws:CurrentTime",
            now.to_rfc3339_opts(SecondsFormat::Secs, true),
        )
        .with("aws:EpochTime", now.timestamp().to_string())
    }

    /// `aws:RequestedRegion`: the region the request was signed for.
    pub fn requested_region(self, region: &str) -> Self {
        self.with("aws:RequestedRegion", region)
    }

    /// `rds:db-tag/<key>`: a tag of the instance the request acts on.
    pub fn db_tag(self, key: &str, value: &str) -> Self {
        self.with(&format!("rds:db-tag/{key}"), value)
    }

    /// The values of a key already in lower case (as conditions keep them), if the request has it.
    pub(crate) fn values(&self, key: &str) -> Option<&[String]> {
        self.keys.get(key).map(Vec::as_slice)
    }

    /// A key's first value (a policy variable's substitute).
    pub(crate) fn first(&self, key: &str) -> Option<&str> {
        self.values(key)
            .and_then(<[String]>::first)
            .map(String::as_str)
    }
}
