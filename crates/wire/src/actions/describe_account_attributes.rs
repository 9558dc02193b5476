//! `DescribeAccountAttributes`'s output (it takes no parameters): the quotas and their use.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeAccountAttributes.html>

use super::Output;
use crate::Action;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AccountQuota {
    #[serde(rename = "AccountQuotaName")]
    pub name: &'static str,
    #[serde(rename = "Used")]
    pub used: i64,
    #[serde(rename = "Max")]
    pub max: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountQuotas {
    #[serde(rename = "AccountQuota")]
    pub quotas: Vec<AccountQuota>,
}

/// `DescribeAccountAttributesResult`.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeAccountAttributesOutput {
    #[serde(rename = "AccountQuotas")]
    pub quotas: AccountQuotas,
}

impl Output for DescribeAccountAttributesOutput {
    const ACTION: Action = Action::DescribeAccountAttributes;
}
