-- refuse_writes_while_suspended (20261217000100) only ever refuses dashboard writes (role
-- `authenticated`), yet every server write — webhooks, tool calls, jobs, as service_role — paid a
-- PL/pgSQL call per row to learn that it may pass: a trigger call, its search_path switch and a
-- function entry on each slot hold, call, contact and usage row (bench/tools.bench.ts). The same
-- triggers, with a WHEN clause, so PostgreSQL skips the call for any other role. The function keeps
-- its own check. A table added later gets its trigger with the same WHEN clause.
do $$
declare
  r record;
begin
  for r in
    select g.tgname, c.relname, pg_get_triggerdef(g.oid) as def
      from pg_trigger g
      join pg_class c on c.oid = g.tgrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
     where g.tgfoid = 'public.refuse_writes_while_suspended()'::regprocedure and not g.tgisinternal
  loop
    if r.def !~ ' FOR EACH ROW EXECUTE FUNCTION ' then
      raise exception 'unexpected suspension trigger on %: %', r.relname, r.def;
    end if;
    execute format('drop trigger %I on public.%I', r.tgname, r.relname);
    execute replace(r.def, ' FOR EACH ROW EXECUTE FUNCTION ', ' FOR EACH ROW WHEN (CURRENT_USER = ''authenticated''::name) EXECUTE FUNCTION ');
  end loop;
end $$;
