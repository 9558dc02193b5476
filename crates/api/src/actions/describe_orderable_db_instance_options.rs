//! `DescribeOrderableDBInstanceOptions`: every class for every installed PostgreSQL version.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeOrderableDBInstanceOptions.html>

use super::describe_db_engine_versions::major;
use super::Ctx;
use cornac_domain::class::CLASSES;
use cornac_wire::actions::describe_orderable_db_instance_options::{
    DescribeOrderableDbInstanceOptionsInput, DescribeOrderableDbInstanceOptionsOutput,
    OrderableOption, OrderableOptions,
};

pub fn handle(
    ctx: &Ctx,
    input: DescribeOrderableDbInstanceOptionsInput,
) -> DescribeOrderableDbInstanceOptionsOutput {
    let wanted_version = input.engine_version.as_deref();
    let wanted_class = input.class.as_deref();
    let mut options = Vec::new();
    for version in ctx
        .state
        .engine_versions
        .iter()
        .filter(|_| input.engine == "postgres")
    {
        if wanted_version.is_some_and(|w| w != version.as_str() && w != major(version)) {
            continue;
        }
        for class in CLASSES
            .iter()
            .filter(|c| wanted_class.is_none_or(|w| w == c.name))
        {
            options.push(OrderableOption {
                engine: "postgres",
                version: version.clone(),
                class: class.name,
                license_model: "postgresql-license",
                multi_az_capable: false,
                read_replica_capable: false,
                vpc: true,
                storage_type: "gp2",
                min_storage: 1,
                max_storage: 65536,
                storage_autoscaling: false,
            });
        }
    }
    DescribeOrderableDbInstanceOptionsOutput {
        options: OrderableOptions { options },
    }
}
