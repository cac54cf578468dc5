-- Inbound queues run in our ARI application (not app_queue: a caller in Queue() leaves Stasis, and ARI has no
-- queue-member API). One queue per team for now; a caller to the team's number who finds no free agent waits in it.
create table call_queue (
    id                      uuid primary key,
    team_id                 uuid not null unique references team (id),
    name                    text not null,
    -- How free agents are ordered for the next offer (see call/queue/QueueStrategy).
    strategy                text not null default 'longest_idle'
                            check (strategy in ('longest_idle', 'round_robin', 'linear')),
    ring_timeout_seconds    integer not null default 15 check (ring_timeout_seconds between 5 and 120),
    max_wait_seconds        integer not null default 600 check (max_wait_seconds between 10 and 7200),
    -- Position announcements to each waiting caller, every N seconds (0: none).
    announce_every_seconds  integer not null default 30 check (announce_every_seconds = 0 or announce_every_seconds >= 5),
    -- Service level: share of callers answered within this many seconds.
    service_level_seconds   integer not null default 20 check (service_level_seconds > 0),
    moh_class               text not null default 'default' check (moh_class ~ '^[a-z0-9_-]{1,40}$'),
    -- Where a caller goes after max wait: an announcement then hang-up (a sound URI), a number, an agent's extension.
    overflow_kind           text not null default 'announcement' check (overflow_kind in ('announcement', 'number', 'agent')),
    overflow_target         text not null default 'sound:vm-nobodyavail',
    created_at              timestamptz not null default now()
);

-- Append-only: every step of every queued caller. Service level, ASA, abandon rate and agent offers are computed
-- from this table alone (wait_ms is the caller's wait at the moment of the event).
create table queue_event (
    id          bigint generated always as identity primary key,
    queue_id    uuid not null references call_queue (id),
    -- No foreign key: the caller's join is logged in the step that creates the call, before its row is saved.
    call_id     uuid not null,
    occurred_at timestamptz not null,
    event       text not null check (event in ('joined', 'offered', 'rang_out', 'answered', 'abandoned',
                                               'timed_out', 'overflowed', 'announced', 'lost')),
    agent_id    uuid references agent (id),
    wait_ms     bigint not null check (wait_ms >= 0),
    position    integer,
    detail      text
);
create index queue_event_queue_time on queue_event (queue_id, occurred_at);
create index queue_event_call on queue_event (call_id);

create function queue_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'queue_event is append-only';
end $$;
create trigger queue_event_no_change before update or delete on queue_event
    for each statement execute function queue_event_append_only();
