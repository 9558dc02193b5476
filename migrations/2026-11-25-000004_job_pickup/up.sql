-- When a worker first took each job: with created_at, the job pickup latency.
ALTER TABLE jobs ADD COLUMN first_claimed_at TIMESTAMPTZ;
