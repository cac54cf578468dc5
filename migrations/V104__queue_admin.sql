-- Issue 12, queue administration: queues are made, changed and deleted through the API, so every per-queue setting
-- is a column with its range checked here as well as by the API.

-- At most this many callers wait at once (0: no limit); one more goes straight to the "full" destination.
alter table call_queue add column max_length integer not null default 0 check (max_length between 0 and 1000);
alter table call_queue add column full_kind text not null default 'announcement'
    check (full_kind in ('announcement', 'number', 'agent', 'voicemail'));
alter table call_queue add column full_target text not null default 'sound:vm-nobodyavail';

-- What a caller meets when no agent of the queue is logged in (app_queue's joinempty): 'wait' for one, or go to the
-- "no agent" destination at once.
alter table call_queue add column no_agent text not null default 'wait' check (no_agent in ('wait', 'overflow'));
alter table call_queue add column no_agent_kind text not null default 'announcement'
    check (no_agent_kind in ('announcement', 'number', 'agent', 'voicemail'));
alter table call_queue add column no_agent_target text not null default 'sound:vm-nobodyavail';

-- A deleted queue keeps its row: its log (queue_event, append-only) refers to it and reports still read it.
alter table call_queue add column deleted_at timestamptz;
create unique index call_queue_team_name on call_queue (team_id, lower(name)) where deleted_at is null;

-- Callers refused by a full queue or a queue with nobody logged in are logged, never joined.
alter table queue_event drop constraint queue_event_event_check;
alter table queue_event add constraint queue_event_event_check
    check (event in ('joined', 'offered', 'rang_out', 'answered', 'abandoned', 'timed_out', 'overflowed', 'announced',
                     'lost', 'callback_requested', 'callback_placed', 'callback_failed', 'callback_answered',
                     'refused'));
