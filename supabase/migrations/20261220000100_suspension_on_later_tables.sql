-- A suspended clinic is read-only (20261217000100_org_suspension.sql). That migration attached the
-- write guard to the tenant tables that existed then; this one attaches it to every tenant table
-- created since (team invites, and any later one without it). test/admin-suspension.test.ts checks
-- that no tenant table is missing it.
do $$
declare
  t text;
begin
  for t in
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    where c.relkind = 'r'
      and (c.relname = 'organizations' or exists (
        select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))
      and c.relname <> 'live_tickets'
      and not exists (
        select 1 from pg_trigger g join pg_proc p on p.oid = g.tgfoid
         where g.tgrelid = c.oid and p.proname = 'refuse_writes_while_suspended')
  loop
    execute format(
      'create trigger %I before insert or update or delete on public.%I for each row execute function public.refuse_writes_while_suspended()',
      t || '_refuse_while_suspended', t);
  end loop;
end $$;
