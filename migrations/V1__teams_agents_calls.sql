-- Teams own phone numbers (DIDs): inbound calls to a DID reach the team, outbound calls of its members show
-- the team's caller ID.
create table team (
    id                  uuid primary key,
    name                text not null unique,
    caller_id_number    text not null check (caller_id_number ~ '^\+[1-9][0-9]{6,14}$'),
    -- The spec asks for calls of up to 6 hours; enforced in Asterisk with TIMEOUT(absolute).
    max_call_seconds    integer not null default 21600 check (max_call_seconds between 60 and 86400),
    created_at          timestamptz not null default now()
);

create table team_number (
    e164        text primary key check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
    team_id     uuid not null references team (id),
    created_at  timestamptz not null default now()
);
create index team_number_team on team_number (team_id);

-- An agent is a person with a SIP endpoint. The app pushes the endpoint into Asterisk (ARI push configuration),
-- so the extension is also the PJSIP endpoint id, aor and auth user name.
create table agent (
    id              uuid primary key,
    extension       text not null unique check (extension ~ '^[0-9]{3,6}$'),
    display_name    text not null,
    team_id         uuid not null references team (id),
    sip_password    text not null check (length(sip_password) >= 12),
    -- Longest-idle distribution needs to know when each agent last finished a call.
    last_call_ended_at timestamptz,
    created_at      timestamptz not null default now()
);
create index agent_team on agent (team_id);

create table call (
    id              uuid primary key,
    direction       text not null check (direction in ('inbound', 'outbound', 'internal')),
    state           text not null,
    from_number     text not null,
    to_number       text not null,
    agent_id        uuid references agent (id),
    team_id         uuid references team (id),
    bridge_id       text,
    created_at      timestamptz not null,
    answered_at     timestamptz,
    ended_at        timestamptz,
    hangup_cause    text,
    -- Talk time (answer to end); null for calls never answered.
    duration_seconds integer generated always as
        (case when answered_at is not null and ended_at is not null
              then greatest(0, floor(extract(epoch from (ended_at - answered_at))))::integer end) stored,
    check (ended_at is null or ended_at >= created_at),
    check (answered_at is null or answered_at >= created_at)
);
-- Keyset pagination newest first: (created_at, id) is unique and stable under inserts.
create index call_created on call (created_at desc, id desc);
create index call_agent_created on call (agent_id, created_at desc, id desc);
create index call_open on call (id) where ended_at is null;

-- One row per Asterisk channel that took part in a call.
create table call_leg (
    channel_id      text primary key,
    call_id         uuid not null references call (id),
    role            text not null check (role in ('caller', 'callee')),
    endpoint        text not null,
    number          text,
    agent_id        uuid references agent (id),
    created_at      timestamptz not null,
    answered_at     timestamptz,
    ended_at        timestamptz,
    -- Q.850 cause as reported by Asterisk (e.g. 16 normal clearing, 17 busy, 19 no answer).
    hangup_cause    integer,
    hangup_cause_text text
);
create index call_leg_call on call_leg (call_id);

-- Append-only log of every state transition: history, analytics and compliance evidence.
create table call_event (
    id          bigint generated always as identity primary key,
    call_id     uuid not null references call (id),
    occurred_at timestamptz not null,
    from_state  text,
    to_state    text not null,
    event       text not null,
    detail      text
);
create index call_event_call on call_event (call_id, id);
