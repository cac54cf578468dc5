-- Issue 12, press-1 callback that keeps the caller's place. A waiting caller may press 1, confirm the number read
-- back to them and hang up; the callback keeps their place in the queue and, in its turn, rings an agent first and
-- then dials the caller through the outbound guard.
alter table call_queue add column callback_enabled boolean not null default false;

alter table queue_event drop constraint queue_event_event_check;
alter table queue_event add constraint queue_event_event_check
    check (event in ('joined', 'offered', 'rang_out', 'answered', 'abandoned', 'timed_out', 'overflowed', 'announced',
                     'lost', 'callback_requested', 'callback_placed', 'callback_failed', 'callback_answered'));

-- The callbacks themselves: the caller is no longer on the line, so the place must outlive the app (an app restart
-- reads the ones still waiting back into the queue). One row per queued call that asked for a callback; its state
-- changes as the callback goes on (the history is in queue_event, which stays append-only).
create table queue_callback (
    call_id       uuid primary key,
    queue_id      uuid not null references call_queue (id) on delete cascade,
    number        text not null check (number ~ '^\+[1-9][0-9]{6,14}$'),
    priority      integer not null default 0,
    -- When the caller joined the queue: the place the callback keeps.
    joined_at     timestamptz not null,
    requested_at  timestamptz not null,
    state         text not null check (state in ('callback_waiting', 'callback_offered', 'callback_dialling',
                                                 'callback_answered', 'callback_failed')),
    agent_id      uuid references agent (id) on delete set null,
    detail        text,
    updated_at    timestamptz not null
);
create index queue_callback_open on queue_callback (queue_id, joined_at)
    where state in ('callback_waiting', 'callback_offered', 'callback_dialling');
