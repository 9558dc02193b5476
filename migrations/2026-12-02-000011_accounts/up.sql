-- Accounts (issue 15): every instance, snapshot, retained backup, event and access key
-- belongs to one; tags
-- belong to their instance or snapshot. Existing rows go to account 000000000000, "default"
-- (the config's `service.account_id` default); when the config names another id, `cornac
-- bootstrap` and `cornac run` rename that account to it (`accounts::adopt`), the ids below
-- following it by ON UPDATE CASCADE. The system account owns the inventory instance; the
-- API refuses every key of it.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY CHECK (id ~ '^[0-9]{12}$'),
    name TEXT NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9+=,.@_-]{1,64}$'),
    system BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- At most one system account.
CREATE UNIQUE INDEX accounts_system ON accounts (system) WHERE system;
INSERT INTO accounts (id, name, created_at) VALUES ('000000000000', 'default', now());
INSERT INTO accounts (id, name, system, created_at)
    VALUES ('000000000001', 'system', true, now() + interval '1 microsecond');

ALTER TABLE db_instances ADD COLUMN account_id TEXT NOT NULL DEFAULT '000000000000'
    REFERENCES accounts (id) ON UPDATE CASCADE;
UPDATE db_instances SET account_id = '000000000001' WHERE system;
ALTER TABLE db_instances ALTER COLUMN account_id DROP DEFAULT;
-- Names are unique per account.
ALTER TABLE db_instances DROP CONSTRAINT db_instances_identifier_key;
CREATE UNIQUE INDEX db_instances_account_identifier ON db_instances (account_id, identifier);

ALTER TABLE db_snapshots ADD COLUMN account_id TEXT NOT NULL DEFAULT '000000000000'
    REFERENCES accounts (id) ON UPDATE CASCADE;
ALTER TABLE db_snapshots ALTER COLUMN account_id DROP DEFAULT;
ALTER TABLE db_snapshots DROP CONSTRAINT db_snapshots_identifier_key;
CREATE UNIQUE INDEX db_snapshots_account_identifier ON db_snapshots (account_id, identifier);

ALTER TABLE retained_backups ADD COLUMN account_id TEXT NOT NULL DEFAULT '000000000000'
    REFERENCES accounts (id) ON UPDATE CASCADE;
ALTER TABLE retained_backups ALTER COLUMN account_id DROP DEFAULT;

ALTER TABLE events ADD COLUMN account_id TEXT NOT NULL DEFAULT '000000000000'
    REFERENCES accounts (id) ON UPDATE CASCADE;
UPDATE events SET account_id = '000000000001'
    WHERE source_arn IN (SELECT arn FROM db_instances WHERE system);
ALTER TABLE events ALTER COLUMN account_id DROP DEFAULT;
CREATE INDEX events_account ON events (account_id, id);

ALTER TABLE access_keys ADD COLUMN account_id TEXT NOT NULL DEFAULT '000000000000'
    REFERENCES accounts (id) ON UPDATE CASCADE;
ALTER TABLE access_keys ALTER COLUMN account_id DROP DEFAULT;
