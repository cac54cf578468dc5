-- Voice menus (IVR): a prompt, keys to destinations, how long to wait for a key and how often to try, and where
-- callers go after too many invalid keys or too many silences.
create table voice_menu (
    id              uuid primary key,
    team_id         uuid not null references team (id),
    name            text not null check (length(name) between 1 and 100),
    -- An Asterisk sound played to the caller; a key interrupts it.
    prompt          text not null check (prompt ~ '^sound:[A-Za-z0-9_/-]{1,100}$'),
    -- {"1": {"kind":"queue","target":"..."}, "2": {...}}; keys 0-9, * and #.
    choices         jsonb not null default '{}',
    timeout_seconds integer not null default 5 check (timeout_seconds between 1 and 60),
    max_tries       integer not null default 3 check (max_tries between 1 and 10),
    invalid_kind    text not null check (invalid_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu')),
    invalid_target  text not null,
    timeout_kind    text not null check (timeout_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu')),
    timeout_target  text not null,
    created_at      timestamptz not null default now(),
    unique (team_id, name)
);
