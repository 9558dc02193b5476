-- The inventory: DB instances, their tags, events, and API access keys.

CREATE TABLE db_instances (
    id BIGSERIAL PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    resource_id TEXT NOT NULL UNIQUE,
    arn TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN (
        'creating', 'available', 'modifying', 'rebooting', 'stopping', 'stopped',
        'starting', 'deleting', 'failed')),
    status_reason TEXT,
    instance_class TEXT NOT NULL,
    engine TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    allocated_storage INTEGER NOT NULL CHECK (allocated_storage > 0),
    master_username TEXT NOT NULL,
    -- A SCRAM-SHA-256 verifier, never the password.
    master_password_verifier TEXT NOT NULL CHECK (master_password_verifier LIKE 'SCRAM-SHA-256$%'),
    db_name TEXT,
    -- The port asked for at creation; NULL lets the provider choose.
    requested_port INTEGER CHECK (requested_port BETWEEN 1 AND 65535),
    endpoint_address TEXT,
    endpoint_port INTEGER CHECK (endpoint_port BETWEEN 1 AND 65535),
    deletion_protection BOOLEAN NOT NULL DEFAULT false,
    backup_retention_period INTEGER NOT NULL DEFAULT 1 CHECK (backup_retention_period BETWEEN 0 AND 35),
    multi_az BOOLEAN NOT NULL DEFAULT false,
    provider TEXT NOT NULL,
    provider_data JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX db_instances_status ON db_instances (status);

CREATE TABLE db_instance_tags (
    db_instance_id BIGINT NOT NULL REFERENCES db_instances (id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    value TEXT NOT NULL DEFAULT '' CHECK (length(value) <= 256),
    PRIMARY KEY (db_instance_id, key)
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    source_identifier TEXT NOT NULL,
    source_type TEXT NOT NULL DEFAULT 'db-instance',
    source_arn TEXT,
    message TEXT NOT NULL,
    categories TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX events_created_at ON events (created_at);

CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    -- AES-256-GCM with the config's encryption key; the key id is the associated data.
    secret_nonce BYTEA NOT NULL,
    secret_ciphertext BYTEA NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
