-- The SMS settings' limits, the same in the database as in the settings contract
-- (packages/contracts/src/settings.ts): at most 500 texts an hour, and up to 3 reminders, each
-- 15 minutes to 7 days before the appointment. The columns' first checks (migration
-- 20261210000100) allowed 1,000 an hour and 5 reminders up to 14 days; no write path ever
-- stored more than the contract allows, and any row that did is brought within the limits.
update public.organizations
   set sms_hourly_limit = least(sms_hourly_limit, 500)
 where sms_hourly_limit > 500;
update public.organizations
   set sms_reminder_offsets_minutes = coalesce(
         (select array_agg(m order by m desc) from (
            select m from unnest(sms_reminder_offsets_minutes) as m where m <= 10080 order by m desc limit 3) kept),
         '{}')
 where cardinality(sms_reminder_offsets_minutes) > 3 or 10080 < any (sms_reminder_offsets_minutes);

alter table public.organizations
  drop constraint organizations_sms_hourly_limit_check,
  drop constraint organizations_sms_reminder_offsets_minutes_check,
  add constraint organizations_sms_hourly_limit_check check (sms_hourly_limit between 1 and 500),
  add constraint organizations_sms_reminder_offsets_minutes_check
    check (cardinality(sms_reminder_offsets_minutes) <= 3
           and array_position(sms_reminder_offsets_minutes, null) is null
           and 15 <= all (sms_reminder_offsets_minutes) and 10080 >= all (sms_reminder_offsets_minutes));
