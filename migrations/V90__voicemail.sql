-- Voicemail: a box per agent or per team, and the messages callers leave in it (recorded by Asterisk through ARI,
-- registered like call recordings: size, duration, SHA-256).
create table voicemail_box (
    id                   uuid primary key,
    team_id              uuid not null references team (id),
    -- The agent whose box it is; null: the team's box, which every agent of the team sees.
    agent_id             uuid unique references agent (id),
    name                 text not null check (length(name) between 1 and 100),
    -- An Asterisk sound the caller hears before the beep; null with greeting_uploaded_at: the uploaded WAV.
    greeting             text check (greeting ~ '^sound:[A-Za-z0-9_/-]{1,100}$'),
    greeting_uploaded_at timestamptz,
    max_message_seconds  integer not null default 120 check (max_message_seconds between 5 and 600),
    -- Silence that ends a message (the caller stopped talking without hanging up).
    max_silence_seconds  integer not null default 5 check (max_silence_seconds between 1 and 60),
    created_at           timestamptz not null default now()
);
create unique index voicemail_box_one_per_team on voicemail_box (team_id) where agent_id is null;

create table voicemail_message (
    id               uuid primary key,
    box_id           uuid not null references voicemail_box (id),
    -- No foreign key: the message starts in the step that may create the call, before its row is saved.
    call_id          uuid not null,
    caller_number    text not null,
    -- File name in Asterisk's recording directory, without the extension.
    recording_name   text not null unique,
    format           text not null,
    started_at       timestamptz not null,
    ended_at         timestamptz,
    duration_ms      bigint,
    size_bytes       bigint,
    sha256           text,
    -- The caller hung up before the beep, or Asterisk could not write: no message for the box.
    failed           boolean not null default false,
    heard_at         timestamptz,
    -- Deleted by a user or by retention: the file is gone, the row stays as the record that it existed.
    deleted_at       timestamptz,
    deleted_by       text
);
create index voicemail_message_box on voicemail_message (box_id, started_at desc) where deleted_at is null;

-- Voicemail is a destination kind wherever a call can be sent.
alter table team_number drop constraint team_number_destination_kind_check;
alter table team_number add constraint team_number_destination_kind_check
    check (destination_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu', 'voicemail'));
alter table schedule drop constraint schedule_open_kind_check;
alter table schedule add constraint schedule_open_kind_check
    check (open_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu', 'voicemail'));
alter table schedule drop constraint schedule_closed_kind_check;
alter table schedule add constraint schedule_closed_kind_check
    check (closed_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu', 'voicemail'));
alter table voice_menu drop constraint voice_menu_invalid_kind_check;
alter table voice_menu add constraint voice_menu_invalid_kind_check
    check (invalid_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu', 'voicemail'));
alter table voice_menu drop constraint voice_menu_timeout_kind_check;
alter table voice_menu add constraint voice_menu_timeout_kind_check
    check (timeout_kind in ('agent', 'queue', 'announcement', 'number', 'schedule', 'menu', 'voicemail'));
-- A queue's overflow after max wait may be a box (target: the box id).
alter table call_queue drop constraint call_queue_overflow_kind_check;
alter table call_queue add constraint call_queue_overflow_kind_check
    check (overflow_kind in ('announcement', 'number', 'agent', 'voicemail'));
