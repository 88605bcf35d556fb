-- A patient's date of birth: the second factor (with the full name) that lets a caller act on a
-- booking from a number other than the one it was made under (docs/SECURITY.md, "Verified callers").
-- Set only from a booking made from the patient's own number, and never overwritten by a call.
alter table public.contacts
  add column date_of_birth date check (date_of_birth is null or date_of_birth >= date '1900-01-01');

comment on column public.contacts.date_of_birth is
  'Second factor for phone verification. Written by a booking from the patient''s own number (never overwritten by a call) or by clinic staff.';
