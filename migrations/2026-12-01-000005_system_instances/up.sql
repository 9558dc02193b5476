-- System instances (the inventory itself) are Cornac's own: no API call may change or list
-- them. `cornac bootstrap` marks the inventory it registers; here, the `cornac` row an older
-- version registered. The inventory answers this migration, so it runs: whatever status an
-- older version's API left it in (stopping, modifying, ...) is set back to available.

ALTER TABLE db_instances ADD COLUMN system BOOLEAN NOT NULL DEFAULT false;

UPDATE db_instances SET system = true, status = 'available', status_reason = NULL
 WHERE identifier = 'cornac';
