//! `CreateAccessKey`: a new key of a user of the caller's account, or with no `UserName` of
//! the caller (a root key for the account root); at most 2 a holder (`LimitExceeded`,
//! `keys::create` counts them with the holder's row locked). The one answer that shows a
//! secret.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html>

use super::super::Ctx;
use super::keys::holder;
use crate::error::ApiError;
use cornac_inventory::credentials::AccessKey;
use cornac_inventory::iam::keys::{self, Created, MAX_KEYS};
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::access_key::status;
use cornac_wire::actions::iam::create_access_key::{
    AccessKeyShape, CreateAccessKeyInput, CreateAccessKeyOutput,
};
use cornac_wire::actions::iam::date;
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CreateAccessKeyInput,
) -> Result<CreateAccessKeyOutput, ApiError> {
    let key = AccessKey::generate();
    let holder = holder(ctx, conn, input.user.as_deref())?;
    let created = match keys::create(
        conn,
        &ctx.state.encryption_key,
        &key,
        &holder,
        "made by CreateAccessKey",
    )? {
        Created::At(at) => at,
        Created::Full => {
            return Err(AwsError::new(
                ErrorCode::LimitExceeded,
                format!("Cannot exceed quota for AccessKeysPerUser: {MAX_KEYS}"),
            )
            .into())
        }
        Created::Gone => {
            return Err(super::missing(
                "user",
                holder.user_name().unwrap_or_default(),
            ))
        }
    };
    tracing::info!(access_key_id = %key.id, user = holder.user_name(), "access key created");
    Ok(CreateAccessKeyOutput {
        access_key: AccessKeyShape {
            user_name: holder.user_name().map(str::to_owned),
            access_key_id: key.id,
            status: status(true),
            secret: key.secret,
            create_date: date(created),
        },
    })
}
