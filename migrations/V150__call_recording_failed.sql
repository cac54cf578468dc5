-- A call whose recording failed (to start, or while it ran) although its team records calls: its agent's softphone
-- and the supervisors' console show it as not recorded, and the call history marks it (compliance: an unrecorded
-- call must be visible, never silent). A constant default: no rewrite of the table, whatever its size.
alter table call add column recording_failed boolean not null default false;
