-- Workers say they are alive here (for /readyz and the worker liveness metric).
CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    last_seen TIMESTAMPTZ NOT NULL DEFAULT now()
);
