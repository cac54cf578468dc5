-- Recording policy per team. Every party hears the announcement: about a dozen US states require all parties'
-- consent, and a party added to a conference later hears it when joining.
alter table team add column record_calls boolean not null default true;
alter table team add column recording_announcement text not null default 'sound:conf-now-recording';

-- Conference participants and transfer targets are legs too; how each party left is kept with them.
alter table call_leg drop constraint call_leg_role_check;
alter table call_leg add constraint call_leg_role_check
    check (role in ('caller', 'callee', 'participant', 'transfer_target'));
-- hung_up (the party), removed (by the app: call ended, transfer completed), failed (never joined)
alter table call_leg add column leave_reason text;

-- A recording's file outlives retention only as this row: deleted_at says when the file was removed.
alter table recording add column deleted_at timestamptz;
-- Found on disk after a crash rather than reported by Asterisk.
alter table recording add column recovered boolean not null default false;
create index recording_unfinished on recording (started_at) where ended_at is null;
