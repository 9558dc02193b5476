//! The managed-policy actions of users and groups, written once for both: attach (again is
//! no change, as IAM answers), detach (one not attached is `NoSuchEntity`) and list.

use super::{lock, with_holder, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::policies;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::attached::{
    AttachPolicyInput, AttachedPolicy, DetachPolicyInput, ListAttachedPoliciesInput,
};
use cornac_wire::actions::iam::Page;
use cornac_wire::{AwsError, ErrorCode};

pub(super) fn attach(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &AttachPolicyInput,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        with_holder(ctx, conn, &input.holder, |conn, holder| {
            lock(conn, holder)?;
            policies::attach(conn, holder, input.policy.arn)?;
            Ok(())
        })
    })
}

pub(super) fn detach(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &DetachPolicyInput,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        with_holder(ctx, conn, &input.holder, |conn, holder| {
            lock(conn, holder)?;
            if policies::detach(conn, holder, &input.policy_arn)? {
                Ok(())
            } else {
                Err(AwsError::new(
                    ErrorCode::NoSuchEntity,
                    format!("Policy {} was not found.", input.policy_arn),
                )
                .into())
            }
        })
    })
}

/// One page of the policies attached to the holder under the path prefix, by ARN.
pub(super) fn list(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &ListAttachedPoliciesInput,
) -> Result<Page<AttachedPolicy>, ApiError> {
    with_holder(ctx, conn, &input.holder, |conn, holder| {
        let shown = policies::attached(conn, holder)?
            .into_iter()
            .filter(|arn| input.shows(arn))
            .map(AttachedPolicy::of)
            .collect();
        Ok(input.paging.page(shown, |p| &p.policy_arn))
    })
}
