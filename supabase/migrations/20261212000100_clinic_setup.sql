-- Clinic setup from the dashboard (Settings and Services pages, apps/api/src/modules/settings and
-- modules/services): the clinic's currency, address, an emergency number override and date
-- overrides (holidays, special hours); services that are archived instead of deleted while they
-- still have appointments ahead; and services seeded at sign-up from a template for the clinic's
-- type instead of the seven med-spa services every clinic got.

-- Date overrides: [{"date":"2026-12-25","hours":[],"note":"Christmas"}, …]. Empty hours = closed
-- all day; otherwise the hours replace the weekday's for that date. Same interval rules as
-- business_hours (is_valid_business_hours), one entry per date, at most 366.
create or replace function public.is_valid_date_overrides(overrides jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(overrides) = 'array'
     and jsonb_array_length(overrides) <= 366
     and not exists (
       select 1 from jsonb_array_elements(overrides) e
        where jsonb_typeof(e) <> 'object'
           or coalesce(e ->> 'date', '') !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
           or jsonb_typeof(e -> 'hours') is distinct from 'array'
           or not public.is_valid_business_hours(jsonb_build_object('mon', e -> 'hours'))
           or (e ? 'note' and jsonb_typeof(e -> 'note') <> 'null' and length(e ->> 'note') > 120)
     )
     and (select count(distinct e ->> 'date') from jsonb_array_elements(overrides) e) = jsonb_array_length(overrides)
$$;

alter table public.organizations
  add column currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  add column address text check (address is null or length(address) <= 300),
  -- What callers are told to dial in an emergency; null = by the clinic's country (modules/emergency/detect.ts).
  add column emergency_number text check (emergency_number is null or emergency_number ~ '^[0-9]{2,6}$'),
  add column date_overrides jsonb not null default '[]'::jsonb check (public.is_valid_date_overrides(date_overrides));

-- When the clinic last saved its settings / changed its services from the dashboard (null: still
-- what sign-up gave it); the getting-started checklist reads them. Written by the server only.
alter table public.organizations
  add column settings_saved_at timestamptz,
  add column services_changed_at timestamptz;

-- Owners and admins change these too (organizations_update already limits the rows to them).
grant update (currency, address, emergency_number, date_overrides, clinic_type) on public.organizations to authenticated;

-- Archived services -----------------------------------------------------------------------------
alter table public.services
  add column archived_at timestamptz,
  add constraint services_archived_inactive check (archived_at is null or not active);

-- An archived "Botox" does not block a new one with the same name.
drop index public.services_org_name_key;
create unique index services_org_name_key on public.services (org_id, lower(name)) where archived_at is null;

-- A service with appointments still ahead is archived, never deleted (the booking keeps its
-- service); modules/services/service.ts archives instead of deleting, this is the guarantee.
create or replace function public.services_guard_delete() returns trigger
language plpgsql set search_path = '' as $$
begin
  if exists (
    select 1 from public.appointments a
     where a.org_id = old.org_id and a.service_id = old.id
       and a.status in ('booked', 'confirmed') and a.ends_at > now()
  ) then
    raise exception 'service % has upcoming appointments; archive it instead', old.id
      using errcode = 'P0001', hint = 'Archive the service (active = false) instead of deleting it.';
  end if;
  return old;
end $$;
create trigger services_guard_delete before delete on public.services
  for each row execute function public.services_guard_delete();

-- Service templates -----------------------------------------------------------------------------
-- The price list a new clinic starts with, by clinic type. Prices are in the clinic's currency.
-- Every template has a service matching "consultation" (modules/services/default-service.ts).
create or replace function public.service_template(p_clinic_type text)
returns table (name text, price numeric, duration_minutes integer, keywords text[])
language sql immutable set search_path = '' as $$
  select t.name, t.price, t.duration_minutes, t.keywords
    from (values
      ('med_spa', 'Botox', 400, 30, array['botox', 'wrinkle', 'wrinkles', 'injection', 'injections', 'anti-wrinkle', 'forehead lines', 'crow''s feet', 'dysport']),
      ('med_spa', 'Facelift', 8000, 60, array['facelift', 'face lift', 'face-lift', 'rhytidectomy', 'sagging skin', 'jowls']),
      ('med_spa', 'Rhinoplasty', 6000, 60, array['rhinoplasty', 'nose job', 'nose surgery', 'nose reshaping']),
      ('med_spa', 'Breast Augmentation', 7500, 60, array['breast augmentation', 'breast implants', 'breast enlargement', 'boob job', 'implants']),
      ('med_spa', 'Liposuction', 5000, 60, array['liposuction', 'lipo', 'fat removal', 'body contouring']),
      ('med_spa', 'Fillers', 500, 45, array['fillers', 'filler', 'dermal filler', 'dermal fillers', 'lip filler', 'lip fillers', 'cheek filler', 'juvederm', 'restylane']),
      ('med_spa', 'Consultation', 150, 30, array['consultation', 'consult', 'assessment', 'first visit', 'check-up', 'checkup']),

      ('dental', 'Check-up and Cleaning', 60, 30, array['check-up', 'checkup', 'cleaning', 'clean', 'hygienist', 'scale and polish', 'exam', 'examination']),
      ('dental', 'Consultation', 50, 30, array['consultation', 'consult', 'first visit', 'new patient']),
      ('dental', 'Filling', 120, 45, array['filling', 'fillings', 'cavity', 'cavities', 'tooth decay']),
      ('dental', 'Teeth Whitening', 300, 60, array['whitening', 'teeth whitening', 'bleaching', 'white teeth']),
      ('dental', 'Root Canal', 600, 90, array['root canal', 'root canal treatment', 'endodontic', 'abscess']),
      ('dental', 'Crown', 700, 60, array['crown', 'crowns', 'cap', 'broken tooth', 'cracked tooth']),
      ('dental', 'Toothache Visit', 80, 30, array['toothache', 'tooth pain', 'dental pain', 'sore tooth', 'swollen gum']),

      ('dermatology', 'Consultation', 150, 30, array['consultation', 'consult', 'first visit', 'assessment']),
      ('dermatology', 'Skin Check', 180, 30, array['skin check', 'mole check', 'mole map', 'mole mapping', 'skin cancer check', 'spot check']),
      ('dermatology', 'Acne Treatment', 200, 30, array['acne', 'pimples', 'breakouts', 'spots']),
      ('dermatology', 'Eczema and Psoriasis Review', 160, 30, array['eczema', 'psoriasis', 'rash', 'dermatitis', 'itchy skin']),
      ('dermatology', 'Mole Removal', 300, 45, array['mole removal', 'remove a mole', 'skin tag', 'skin tags', 'cyst removal']),
      ('dermatology', 'Chemical Peel', 250, 45, array['chemical peel', 'peel', 'peels', 'pigmentation']),

      ('physiotherapy', 'Initial Assessment', 90, 60, array['consultation', 'initial assessment', 'assessment', 'first visit', 'new patient']),
      ('physiotherapy', 'Follow-up Session', 70, 45, array['follow-up', 'follow up', 'session', 'treatment session', 'physio']),
      ('physiotherapy', 'Sports Massage', 65, 45, array['sports massage', 'massage', 'deep tissue']),
      ('physiotherapy', 'Dry Needling', 75, 30, array['dry needling', 'needling', 'acupuncture']),
      ('physiotherapy', 'Back and Neck Pain Treatment', 80, 45, array['back pain', 'neck pain', 'sciatica', 'stiff neck', 'lower back']),
      ('physiotherapy', 'Post-surgery Rehabilitation', 85, 60, array['rehab', 'rehabilitation', 'post-surgery', 'after surgery', 'knee replacement', 'acl']),

      ('general_practice', 'Consultation', 80, 15, array['consultation', 'consult', 'appointment', 'see a doctor', 'gp appointment']),
      ('general_practice', 'Extended Consultation', 140, 30, array['extended consultation', 'long appointment', 'double appointment']),
      ('general_practice', 'Health Check', 180, 45, array['health check', 'check-up', 'checkup', 'physical', 'medical exam', 'annual physical']),
      ('general_practice', 'Vaccination', 40, 15, array['vaccination', 'vaccine', 'flu shot', 'flu jab', 'jab', 'immunisation', 'immunization']),
      ('general_practice', 'Blood Test', 45, 15, array['blood test', 'bloods', 'blood work', 'cholesterol test']),
      ('general_practice', 'Travel Clinic', 90, 30, array['travel', 'travel vaccine', 'travel clinic', 'travel vaccination'])
    ) as t (clinic_type, name, price, duration_minutes, keywords)
   where t.clinic_type = p_clinic_type
$$;

create or replace function public.seed_template_services(p_org_id uuid, p_clinic_type text) returns void
language sql security definer set search_path = '' as $$
  insert into public.services (org_id, name, price, duration_minutes, keywords, is_default)
  select p_org_id, t.name, t.price, t.duration_minutes, t.keywords, true
    from public.service_template(p_clinic_type) t
  on conflict do nothing
$$;
revoke execute on function public.seed_template_services(uuid, text) from public, anon, authenticated;

create or replace function public.organizations_seed_services() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.seed_template_services(new.id, new.clinic_type);
  return new;
end $$;

drop function public.seed_default_services(uuid);

-- Sign-up carries the clinic's type and currency (SignupBody in packages/contracts/src/auth.ts);
-- the organization is created with them, so its services come from the right template.
create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  new_org_id uuid;
  new_role text;
begin
  if new.raw_app_meta_data ? 'org_id' then
    new_org_id := (new.raw_app_meta_data ->> 'org_id')::uuid;
    new_role := coalesce(new.raw_app_meta_data ->> 'role', 'staff');
  else
    insert into public.organizations (name, timezone, clinic_type, currency)
    values (
      coalesce(nullif(btrim(new.raw_user_meta_data ->> 'clinic_name'), ''), split_part(new.email, '@', 1) || '''s clinic'),
      coalesce(nullif(new.raw_user_meta_data ->> 'timezone', ''), 'America/New_York'),
      coalesce(nullif(new.raw_user_meta_data ->> 'clinic_type', ''), 'med_spa'),
      upper(coalesce(nullif(new.raw_user_meta_data ->> 'currency', ''), 'USD'))
    )
    returning id into new_org_id;
    new_role := 'owner';
  end if;

  insert into public.profiles (user_id, org_id, role, full_name, email)
  values (new.id, new_org_id, new_role, nullif(btrim(new.raw_user_meta_data ->> 'full_name'), ''), new.email);

  update auth.users
     set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb)
                             || jsonb_build_object('org_id', new_org_id, 'role', new_role)
   where id = new.id;
  return new;
end $$;
