-- Every function in public runs with a fixed search_path, so the caller's search_path (a schema
-- the caller can create objects in, first on the path) cannot change what a name inside the
-- function resolves to. The four below were created without one; their bodies use only
-- schema-qualified names and pg_catalog built-ins (always searched), so the path is empty.
-- apps/api/test/function-search-path.test.ts fails for any public function without one.

alter function public.auth_org_id() set search_path = '';
alter function public.set_updated_at() set search_path = '';
alter function public.is_valid_timezone(text) set search_path = '';
alter function public.is_valid_business_hours(jsonb) set search_path = '';
