-- DB snapshots (issue 14): each row names a backup a provider keeps under `backup_key`, in a
-- repository on the Cornac host, so it outlives its instance. A copy is a second row with the
-- same key (a backup is never changed once made, so two rows may share it); the backup itself
-- goes only when the last row using its key does. The source instance's columns are copied in,
-- so a snapshot still describes (and restores) an instance that is gone.

CREATE TABLE db_snapshots (
    id BIGSERIAL PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    arn TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('creating', 'available', 'deleting', 'failed')),
    snapshot_type TEXT NOT NULL CHECK (snapshot_type IN ('manual', 'automated')),
    -- The instance it was taken of: its row id (the jobs of the snapshot run beside that
    -- instance's, one at a time), identifier and resource id, kept after the instance is gone.
    source_instance_id BIGINT NOT NULL,
    instance_identifier TEXT NOT NULL,
    dbi_resource_id TEXT NOT NULL,
    backup_key TEXT NOT NULL CHECK (backup_key ~ '^bk-[a-z0-9]{26}$'),
    -- The copy's source snapshot, as AWS shows it (SourceDBSnapshotIdentifier).
    source_snapshot_identifier TEXT,
    engine TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    -- The class a restore gets unless it asks for another, as RDS does.
    instance_class TEXT NOT NULL,
    allocated_storage INTEGER NOT NULL CHECK (allocated_storage > 0),
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    master_username TEXT NOT NULL,
    -- The restore's master password: a SCRAM-SHA-256 verifier, never the password.
    master_password_verifier TEXT NOT NULL CHECK (master_password_verifier LIKE 'SCRAM-SHA-256$%'),
    db_name TEXT,
    provider TEXT NOT NULL CHECK (provider IN ('local', 'pgcluster', 'libvirt', 'external')),
    instance_create_time TIMESTAMPTZ NOT NULL,
    snapshot_create_time TIMESTAMPTZ NOT NULL DEFAULT now(),
    percent_progress INTEGER NOT NULL DEFAULT 0 CHECK (percent_progress BETWEEN 0 AND 100),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX db_snapshots_backup_key ON db_snapshots (backup_key);
CREATE INDEX db_snapshots_instance ON db_snapshots (instance_identifier);

CREATE TABLE db_snapshot_tags (
    db_snapshot_id BIGINT NOT NULL REFERENCES db_snapshots (id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    value TEXT NOT NULL DEFAULT '' CHECK (length(value) <= 256),
    PRIMARY KEY (db_snapshot_id, key)
);

-- An instance backs up (CreateDBSnapshot) in its own status.
ALTER TABLE db_instances DROP CONSTRAINT db_instances_status_check;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_status_check CHECK (status IN (
    'creating', 'available', 'modifying', 'rebooting', 'stopping', 'stopped',
    'starting', 'deleting', 'failed', 'backing-up'));

ALTER TABLE db_instances ADD COLUMN copy_tags_to_snapshot BOOLEAN NOT NULL DEFAULT false;
-- A restored instance's create job restores this backup of that (maybe gone) instance.
ALTER TABLE db_instances ADD COLUMN restore_resource_id TEXT;
ALTER TABLE db_instances ADD COLUMN restore_backup_key TEXT;
ALTER TABLE db_instances ADD CONSTRAINT db_instances_restore_source
    CHECK ((restore_resource_id IS NULL) = (restore_backup_key IS NULL));

-- Jobs that act on a snapshot name it; no foreign key: a snapshot delete outlives its row.
ALTER TABLE jobs ADD COLUMN snapshot_id BIGINT;
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN (
    'create', 'delete', 'start', 'stop', 'reboot', 'reset_password', 'snapshot',
    'delete_snapshot'));

ALTER TABLE events DROP CONSTRAINT events_categories_known;
ALTER TABLE events ADD CONSTRAINT events_categories_known
    CHECK (categories <@ ARRAY['availability', 'backup', 'configuration change', 'creation',
                               'deletion', 'failure', 'notification']::text[]);
ALTER TABLE events ADD CONSTRAINT events_source_type_known
    CHECK (source_type IN ('db-instance', 'db-snapshot'));
