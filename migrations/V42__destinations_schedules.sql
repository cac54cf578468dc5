-- One destination concept wherever a call can be sent: a kind and a target (an id, a sound or a number). Checked by
-- the app on save (targets exist, no cycles through schedules); the database keeps the shapes honest.

-- Schedules: weekly open periods and exceptional periods (holidays) in the schedule's own zone, as wall-clock
-- times, each leading to a destination; a closed destination is required.
create table schedule (
    id              uuid primary key,
    team_id         uuid not null references team (id),
    name            text not null check (length(name) between 1 and 100),
    zone            text not null,
    -- [{"day":"MONDAY","opens":"09:00","closes":"17:00"}, ...]
    periods         jsonb not null default '[]',
    -- [{"name":"Christmas","starts":"2026-12-25T00:00","ends":"2026-12-26T00:00","kind":"announcement","target":"sound:..."}]
    exceptions      jsonb not null default '[]',
    open_kind       text not null check (open_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu')),
    open_target     text not null,
    closed_kind     text not null check (closed_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu')),
    closed_target   text not null,
    created_at      timestamptz not null default now(),
    unique (team_id, name)
);

-- A DID may point at a destination of its own; without one it goes to the team's queue or agents as before.
alter table team_number add column destination_kind text
    check (destination_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu'));
alter table team_number add column destination_target text;
alter table team_number add constraint team_number_destination_whole
    check ((destination_kind is null) = (destination_target is null));

-- Managers configure their own team's inbound routing; existing managers and administrators get the permission.
update app_user set permissions = array_append(permissions, 'inbound:2')
    where role in ('manager', 'admin') and not ('inbound:2' = any (permissions));
