-- Front desk (leads inbox, follow-ups): what staff decided about a lead, and who asked not to be
-- texted. Both live on the contact, under the contacts table's existing per-command RLS.

-- When staff last marked the lead handled. A lead is "handled" while this is at or after its
-- last contact: a new call (last_contacted_at moves on) puts it back in the inbox by itself.
alter table public.contacts
  add column handled_at timestamptz,
  add column handled_by uuid,
  -- The patient asked not to be texted (replied STOP, or told the clinic). Follow-ups and
  -- reminders by SMS are recorded as not_sent while it is set.
  add column sms_opted_out_at timestamptz;

comment on column public.contacts.handled_at is 'When staff marked the lead handled; handled while >= last_contacted_at.';
comment on column public.contacts.sms_opted_out_at is 'The patient opted out of SMS; no SMS is sent to them while set.';

-- The inbox order: open hot leads first, newest contact first (modules/contacts/queries.ts).
create index contacts_org_inbox_idx on public.contacts (org_id, lead_temperature, last_contacted_at desc nulls last, id);
