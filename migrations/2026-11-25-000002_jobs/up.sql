-- The job queue: the API inserts a job in the same transaction that sets the instance's status,
-- and NOTIFY cornac_jobs (delivered at commit) wakes the workers.

CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'delete', 'start', 'stop', 'reboot', 'reset_password')),
    -- No foreign key: a delete job outlives its instance's row.
    instance_id BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- While running: the worker that holds it, until when. A lapsed lease is taken over.
    worker TEXT,
    lease_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ
);

CREATE INDEX jobs_pending ON jobs (run_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_instance ON jobs (instance_id) WHERE state IN ('queued', 'running');
