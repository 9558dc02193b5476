//! `DescribeAccountAttributes`: the quotas, and how much of each is used.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeAccountAttributes.html>

use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::{instances, PgConnection};
use cornac_wire::actions::describe_account_attributes::{
    AccountQuota, AccountQuotas, DescribeAccountAttributesOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
) -> Result<DescribeAccountAttributesOutput, ApiError> {
    let (count, storage) = instances::usage(conn, ctx.account_id)?;
    let quotas = vec![
        AccountQuota {
            name: "DBInstances",
            used: count,
            max: ctx.state.quotas.max_instances,
        },
        AccountQuota {
            name: "AllocatedStorage",
            used: storage,
            max: ctx.state.quotas.max_storage_gib,
        },
        AccountQuota {
            name: "ManualSnapshots",
            used: 0,
            max: 0,
        },
    ];
    Ok(DescribeAccountAttributesOutput {
        quotas: AccountQuotas { quotas },
    })
}
