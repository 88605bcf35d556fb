-- slot_holds_expiry (20261215000100) was never read: expired holds are deleted per clinic, by the
-- next offer of any of its calls (org_id first: the no-overlap index), or with their call when it
-- ends (apps/api/src/modules/slot-holds/queries.ts). Every offer still paid for it, one index
-- entry per held time and a dead one per released time.
drop index if exists public.slot_holds_expiry;
