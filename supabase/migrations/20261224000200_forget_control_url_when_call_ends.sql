-- An ended call cannot be controlled: its control URL (migration 20261222000100) goes in the same
-- statement that ends the call, whoever ends it (status-update "ended", the end-of-call report).
-- Before, each end-of-call report paid a transaction of its own for this delete: a second durable
-- commit per report on the ingestion path (bench/postcall.bench.ts).
create or replace function public.forget_control_url_of_ended_call() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.call_controls where vapi_call_id = new.vapi_call_id;
  return null;
end $$;
revoke execute on function public.forget_control_url_of_ended_call() from public, anon, authenticated, service_role;

create trigger call_logs_forget_control_url_on_insert after insert on public.call_logs
  for each row when (new.status = 'ended') execute function public.forget_control_url_of_ended_call();
create trigger call_logs_forget_control_url_on_end after update of status on public.call_logs
  for each row when (new.status = 'ended' and old.status is distinct from 'ended') execute function public.forget_control_url_of_ended_call();
