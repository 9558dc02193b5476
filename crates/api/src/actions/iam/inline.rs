//! The inline-policy actions of users and groups, written once for both: put (under the
//! holder's lock, within the size quota of all its inline policies together), get, list and
//! delete. See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>.

use super::{lock, with_holder, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::iam::policies;
use cornac_inventory::{Connection, PgConnection};
use cornac_policy::{size, Quota};
use cornac_wire::actions::iam::holder::HolderListInput;
use cornac_wire::actions::iam::inline::{PolicyNameInput, PutPolicyInput};
use cornac_wire::actions::iam::Page;
use cornac_wire::{AwsError, ErrorCode};

/// One inline policy, as the get actions answer it.
pub(super) struct Found {
    /// The holder's name, as created.
    pub holder: String,
    pub name: String,
    pub document: String,
}

/// `The user policy with name P cannot be found.` (or group).
fn missing(holder: Holder, name: &str) -> ApiError {
    AwsError::new(
        ErrorCode::NoSuchEntity,
        format!(
            "The {} policy with name {name} cannot be found.",
            holder.kind()
        ),
    )
    .into()
}

/// Set the holder's policy, refused with `LimitExceeded` when its inline documents together,
/// this one replacing its namesake, would pass the holder's quota.
pub(super) fn put(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &PutPolicyInput,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        with_holder(ctx, conn, &input.holder, |conn, holder| {
            lock(conn, holder)?;
            let quota = match holder {
                Holder::User(_) => Quota::UserInline,
                Holder::Group(_) => Quota::GroupInline,
            };
            let others: usize = policies::inline(conn, holder)?
                .iter()
                .filter(|p| p.name != input.policy_name)
                .map(|p| size(&p.document))
                .sum();
            if !quota.admits(others + size(&input.document)) {
                return Err(AwsError::new(
                    ErrorCode::LimitExceeded,
                    format!(
                        "Maximum policy size of {} bytes exceeded for {} {}",
                        quota.limit(),
                        holder.kind(),
                        holder.name()
                    ),
                )
                .into());
            }
            policies::put_inline(conn, holder, &input.policy_name, &input.document)?;
            Ok(())
        })
    })
}

/// The holder's policy of that name.
pub(super) fn get(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &PolicyNameInput,
) -> Result<Found, ApiError> {
    with_holder(ctx, conn, &input.holder, |conn, holder| {
        let document = policies::inline_document(conn, holder, &input.policy_name)?
            .ok_or_else(|| missing(holder, &input.policy_name))?;
        Ok(Found {
            holder: holder.name().to_owned(),
            name: input.policy_name.clone(),
            document,
        })
    })
}

/// One page of the holder's policy names.
pub(super) fn list(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &HolderListInput,
) -> Result<Page<String>, ApiError> {
    with_holder(ctx, conn, &input.holder, |conn, holder| {
        let names = policies::inline(conn, holder)?
            .into_iter()
            .map(|p| p.name)
            .collect();
        Ok(input.paging.page(names, |n| n))
    })
}

/// Remove the holder's policy of that name.
pub(super) fn delete(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: &PolicyNameInput,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        with_holder(ctx, conn, &input.holder, |conn, holder| {
            lock(conn, holder)?;
            if policies::delete_inline(conn, holder, &input.policy_name)? {
                Ok(())
            } else {
                Err(missing(holder, &input.policy_name))
            }
        })
    })
}
