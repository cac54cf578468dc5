-- What a call is doing right now, for the agents' screens: whether its recording runs or is paused (payment pause),
-- and the transfer in progress or last done. The event log keeps the history; these columns are its present.
alter table call add column recording_state text check (recording_state in ('recording', 'paused'));
alter table call add column transfer_mode text check (transfer_mode in ('blind', 'attended'));
alter table call add column transfer_state text
    check (transfer_state in ('dialling', 'consulting', 'completed', 'cancelled', 'failed'));
alter table call add column transfer_target text;
-- When the party entered the conversation (after the recording announcement for a party added later).
alter table call_leg add column joined_at timestamptz;

-- A team that records without an announcement (one-party-consent jurisdictions only) has none.
alter table team alter column recording_announcement drop not null;
