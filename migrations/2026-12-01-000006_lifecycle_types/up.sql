-- The stored enums are typed in the code (InstanceStatus, EventCategory, ProviderKind map to
-- these texts); the database refuses any other value too. provider_data was never read.

ALTER TABLE db_instances DROP COLUMN provider_data;

ALTER TABLE db_instances ADD CONSTRAINT db_instances_provider_kind
    CHECK (provider IN ('local', 'pgcluster', 'libvirt', 'external'));

ALTER TABLE events ADD CONSTRAINT events_categories_known
    CHECK (categories <@ ARRAY['availability', 'configuration change', 'creation', 'deletion',
                               'failure', 'notification']::text[]);
