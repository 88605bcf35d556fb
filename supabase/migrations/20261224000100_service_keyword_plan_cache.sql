-- get_service_price_by_keyword runs on every tool call (resolveClinic's default service) and every
-- price question. As a SQL function with a pinned search_path it cannot be inlined, so PostgreSQL
-- planned its body again on every call: 1.4 of the 1.7 ms of resolveClinic (EXPLAIN ANALYZE in
-- bench/postcall.bench.ts's profile). PL/pgSQL keeps the plan for the session. Same signature,
-- same ranking: an exact keyword or name first, then the longest contained name or keyword, then
-- the higher price.
create or replace function public.get_service_price_by_keyword(p_org_id uuid, p_keyword text)
returns table (service_id uuid, service_name text, price numeric, duration_minutes integer)
language plpgsql stable set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  with q as (select lower(btrim(coalesce(p_keyword, ''))) as k),
  candidates as (
    select s.id, s.name, s.price, s.duration_minutes,
           (s.keywords @> array[q.k] or lower(s.name) = q.k) as exact,
           greatest(
             case when position(lower(s.name) in q.k) > 0 then length(s.name) else 0 end,
             coalesce((select max(length(kw)) from unnest(s.keywords) kw where position(kw in q.k) > 0), 0)
           ) as contained
      from public.services s, q
     where s.org_id = p_org_id and s.active and q.k <> ''
  )
  select c.id, c.name, c.price, c.duration_minutes
    from candidates c
   where c.exact or c.contained > 0
   order by c.exact desc, c.contained desc, c.price desc
   limit 1;
end $$;
