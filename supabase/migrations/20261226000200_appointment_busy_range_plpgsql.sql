-- appointment_busy_range (20261123000300) computes every appointment's generated busy_range and
-- each slot hold's span. As a SQL function with a pinned search_path it cannot be inlined, so
-- PostgreSQL parsed, analysed and planned its one-line body again in every statement that called
-- it: 3.4% of the database's CPU under tool-call load (perf, bench/tools.bench.ts). PL/pgSQL keeps
-- the expression's plan for the session. Same signature, same result, still immutable.
create or replace function public.appointment_busy_range(
  p_starts_at timestamptz, p_ends_at timestamptz, p_buffer_before integer, p_buffer_after integer
) returns tstzrange
language plpgsql immutable parallel safe set search_path = '' as $$
begin
  return tstzrange(p_starts_at - make_interval(mins => p_buffer_before), p_ends_at + make_interval(mins => p_buffer_after), '[)');
end $$;
