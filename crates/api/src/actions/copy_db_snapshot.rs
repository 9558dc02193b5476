//! `CopyDBSnapshot`: a new manual snapshot of the same backup as an available source. No data
//! is copied: a backup never changes once made, so the copy names the source's backup key and
//! the backup goes only with the last snapshot that names it. The copy has the given tags, and
//! the source's too with `CopyTags`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html>

use super::{snapshot_quota, Ctx};
use crate::error::ApiError;
use crate::snapshot_view;
use cornac_domain::tag::MAX_TAGS;
use cornac_inventory::{tags, Connection, PgConnection};
use cornac_jobs::lifecycle;
use cornac_wire::actions::copy_db_snapshot::{CopyDbSnapshotInput, CopyDbSnapshotOutput};
use cornac_wire::actions::tags as wire_tags;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CopyDbSnapshotInput,
) -> Result<CopyDbSnapshotOutput, ApiError> {
    let snapshot = conn.transaction(|conn| {
        let source = snapshot_view::find(conn, ctx.account_id, &input.source)?;
        let mut args = snapshot_quota::reserve(ctx, conn, input.target, input.tags)?;
        if input.copy_tags {
            for (key, value) in tags::list(conn, tags::Owner::snapshot(source.id))? {
                if !args.tags.iter().any(|(k, _)| *k == key) {
                    args.tags.push((key, value));
                }
            }
        }
        if args.tags.len() > MAX_TAGS {
            return Err(wire_tags::too_many().into());
        }
        let copy =
            lifecycle::copy_snapshot(conn, source.id, &args.identifier, args.arn, &args.tags)?;
        snapshot_view::with_tags(ctx.scope(), conn, copy)
    })?;
    Ok(CopyDbSnapshotOutput { snapshot })
}
