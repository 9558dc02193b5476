//! Authorization, before any handler runs: the caller's identity-based policies decide each
//! resource the request acts on (`Input::resources`), with `cornac_policy::evaluate`; a refusal
//! is `AccessDenied` (403) and changes nothing. The account's root is allowed everything in its
//! account; `GetCallerIdentity` needs no permission (as in AWS). A user's policies (its inline
//! and attached ones and its groups') are parsed once and kept while the account's
//! `iam_version`, read with the access key, is unchanged, so a request whose caller's policies
//! are cached makes no query of its own, and a change to them is seen by the next request. A
//! policy that tests `rds:db-tag/…` costs one more query: the tags of the instance it acts on.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;
use cornac_inventory::iam::{groups, policies, users};
use cornac_inventory::tags::{self, Owner};
use cornac_inventory::{instances, PgConnection};
use cornac_policy::{evaluate, Context, Decision, ManagedPolicy, Policy, Principal, Request};
use cornac_wire::actions::{Input, Resource};
use cornac_wire::{Action, AwsError, ErrorCode};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// One user's parsed policies, as of an `iam_version` of its account.
struct Parsed {
    version: i64,
    policies: Vec<Policy>,
    /// Whether a condition tests an instance's tags (`rds:db-tag/…`).
    reads_db_tags: bool,
}

/// Every user's parsed policies, by user id (one map, shared by the state's clones).
#[derive(Default, Clone)]
pub struct PolicyCache(Arc<Mutex<HashMap<i64, Arc<Parsed>>>>);

impl PolicyCache {
    /// User `user_id`'s policies as of `version`: the cached ones, or read and parsed again.
    fn get(
        &self,
        conn: &mut PgConnection,
        user_id: i64,
        version: i64,
    ) -> Result<Arc<Parsed>, ApiError> {
        if let Some(parsed) = self.lock().get(&user_id) {
            if parsed.version == version {
                return Ok(parsed.clone());
            }
        }
        let stored = policies::for_user(conn, user_id)?;
        let mut parsed = Vec::with_capacity(stored.documents.len() + stored.managed.len());
        for document in &stored.documents {
            parsed.push(
                Policy::parse(document)
                    .map_err(|e| ApiError::internal("a stored policy does not parse", e))?,
            );
        }
        for arn in &stored.managed {
            let managed = ManagedPolicy::by_arn(arn).ok_or_else(|| {
                ApiError::internal("an attached policy is unknown", arn.to_owned())
            })?;
            parsed.push(
                managed
                    .policy()
                    .map_err(|e| ApiError::internal("a managed policy does not parse", e))?,
            );
        }
        let reads_db_tags = parsed.iter().any(|p| {
            p.condition_keys()
                .any(|k| k.to_ascii_lowercase().starts_with("rds:db-tag/"))
        });
        let parsed = Arc::new(Parsed {
            version,
            policies: parsed,
            reads_db_tags,
        });
        self.lock().insert(user_id, parsed.clone());
        Ok(parsed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Parsed>>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Refuse the request with `AccessDenied` unless the caller's policies allow `action` on every
/// resource `input` acts on.
pub fn authorize(
    state: &AppState,
    conn: &mut PgConnection,
    caller: &Caller,
    action: Action,
    input: &Input,
    source_ip: Option<IpAddr>,
) -> Result<(), ApiError> {
    let Some(user) = &caller.user else {
        return Ok(());
    };
    if action == Action::GetCallerIdentity {
        return Ok(());
    }
    let parsed = state.policies.get(conn, user.id, caller.iam_version)?;
    let mut context = Context::new()
        .user_name(&user.name)
        .current_time(chrono::Utc::now())
        .requested_region(&state.region);
    if let Some(ip) = source_ip {
        context = context.source_ip(ip);
    }
    let name = action.policy_name();
    let caller_arn = user.arn();
    for resource in input.resources() {
        let path = match &resource {
            Resource::User(Some(n)) => users::find(conn, &caller.account_id, n)?.map(|u| u.path),
            Resource::Group(n) => groups::find(conn, &caller.account_id, n)?.map(|g| g.path),
            _ => None,
        };
        let arn = resource.arn(
            &state.region,
            &caller.account_id,
            path.as_deref().unwrap_or("/"),
            &caller_arn,
        );
        let tagged;
        let context = match &resource {
            Resource::Instance(id) if parsed.reads_db_tags => {
                let row = instances::find_in(conn, &caller.account_id, id.as_str())?;
                let pairs = match row {
                    Some(row) => tags::list(conn, Owner::instance(row.id))?,
                    None => Vec::new(),
                };
                tagged = pairs
                    .into_iter()
                    .fold(context.clone(), |c, (k, v)| c.db_tag(&k, &v));
                &tagged
            }
            _ => &context,
        };
        let request = Request {
            principal: Principal::User,
            action: &name,
            resource: &arn,
            context,
        };
        let decision = evaluate(&request, &parsed.policies);
        if !decision.is_allowed() {
            return Err(denied(&caller_arn, &name, &arn, decision).into());
        }
    }
    Ok(())
}

/// AWS's refusal, which says whether a policy denied it or none allowed it.
fn denied(caller: &str, action: &str, resource: &str, decision: Decision) -> AwsError {
    let why = match decision {
        Decision::ExplicitDeny => "with an explicit deny in an identity-based policy".to_owned(),
        Decision::Allow | Decision::ImplicitDeny => {
            format!("because no identity-based policy allows the {action} action")
        }
    };
    AwsError::new(
        ErrorCode::AccessDenied,
        format!(
            "User: {caller} is not authorized to perform: {action} on resource: {resource} {why}"
        ),
    )
}
