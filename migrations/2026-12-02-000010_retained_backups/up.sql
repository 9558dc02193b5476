-- Retained automated backups (issue 14): `DeleteDBInstance` with `DeleteAutomatedBackups=false`
-- marks the instance, and the delete job's finish keeps its automated backups as one row here
-- (in the transaction that removes the instance's row). The backups themselves stay what they
-- were: the instance's automated snapshot rows (which copy what a restore needs of it) and the
-- provider's repository under its resource id. This row holds only what outlives the instance
-- and no snapshot carries: its names, its retention (each snapshot still expires that long
-- after it was taken) and the restorable window the worker reads from the repository.
ALTER TABLE db_instances ADD COLUMN retain_automated_backups BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE retained_backups (
    id BIGSERIAL PRIMARY KEY,
    -- The deleted instance's row id, which its snapshot rows name (source_instance_id).
    source_instance_id BIGINT NOT NULL UNIQUE,
    dbi_resource_id TEXT NOT NULL UNIQUE,
    instance_identifier TEXT NOT NULL,
    instance_arn TEXT NOT NULL,
    provider TEXT NOT NULL CHECK (provider IN ('local', 'pgcluster', 'libvirt', 'external')),
    backup_retention_period INTEGER NOT NULL CHECK (backup_retention_period BETWEEN 1 AND 35),
    preferred_backup_window TEXT NOT NULL,
    earliest_restorable_time TIMESTAMPTZ,
    latest_restorable_time TIMESTAMPTZ,
    retained_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT retained_backups_restorable_window
        CHECK ((earliest_restorable_time IS NULL) = (latest_restorable_time IS NULL)
               AND earliest_restorable_time <= latest_restorable_time)
);
