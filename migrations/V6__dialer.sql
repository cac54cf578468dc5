-- Auto-dialer: campaigns dial their leads through Telnyx Call Control with answering-machine detection; humans are
-- transferred to our Asterisk and connected to an agent of the campaign's team.
create table campaign (
    id                  uuid primary key,
    name                text not null,
    team_id             uuid not null references team (id),
    caller_id_number    text not null check (caller_id_number ~ '^\+[1-9][0-9]{6,14}$'),
    -- Fixed presets or adaptive; the adaptive ratio in force is kept so a restart does not start over at 1.0.
    dial_mode           text not null default '2.0' check (dial_mode in ('1.5', '2.0', '3.0', 'ADAPTIVE')),
    adaptive_ratio      numeric(4, 2) not null default 1.5 check (adaptive_ratio between 1.0 and 3.0),
    -- The US safe harbor allows 3% of live answers per campaign per 30 days.
    target_abandon_rate numeric(5, 4) not null default 0.03 check (target_abandon_rate > 0 and target_abandon_rate <= 0.03),
    -- In the lead's local time (zone from the number unless the lead list gives one).
    calling_start       time not null default '08:00',
    calling_end         time not null default '21:00',
    max_attempts        integer not null default 3 check (max_attempts between 1 and 20),
    min_retry_gap_seconds integer not null default 3600 check (min_retry_gap_seconds >= 0),
    -- Outcome code -> seconds to wait before the next attempt; an outcome missing here ends the lead.
    retry_after         jsonb not null default '{"NO_ANSWER": 3600, "BUSY": 900, "VOICEMAIL": 14400, "ABANDONED": 259200}',
    voicemail_policy    text not null default 'hangup' check (voicemail_policy in ('hangup', 'leave_message')),
    voicemail_message   text,
    amd_mode            text not null default 'premium'
        check (amd_mode in ('premium', 'detect', 'detect_beep', 'detect_words', 'greeting_end')),
    safe_harbor_message text not null,
    enabled             boolean not null default false,
    enabled_reason      text not null default 'created',
    paused              boolean not null default true,
    paused_reason       text not null default 'not started',
    created_at          timestamptz not null default now(),
    check (calling_start < calling_end),
    check (voicemail_policy = 'hangup' or voicemail_message is not null)
);
create index campaign_team on campaign (team_id);

-- Evidence of who or what switched a campaign on, off, into or out of pause, and why.
create table campaign_state_event (
    id          bigint generated always as identity primary key,
    campaign_id uuid not null references campaign (id),
    switch      text not null check (switch in ('enabled', 'paused')),
    value       boolean not null,
    reason      text not null,
    changed_by  uuid references app_user (id),
    occurred_at timestamptz not null
);
create index campaign_state_event_campaign on campaign_state_event (campaign_id, id);

create table lead (
    id              uuid primary key,
    campaign_id     uuid not null references campaign (id),
    e164            text not null check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
    name            text,
    external_id     text,
    -- IANA zone given by the list; null means derived from the number.
    time_zone       text,
    status          text not null default 'NEW' check (status in ('NEW', 'DIALING', 'RETRY', 'DONE')),
    attempts        integer not null default 0,
    last_outcome    text references disposition_code (code),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    created_at      timestamptz not null default now(),
    -- Duplicates within a campaign merge into one lead.
    unique (campaign_id, e164)
);
create index lead_due on lead (campaign_id, next_attempt_at nulls first, created_at) where status in ('NEW', 'RETRY');

create table dial_attempt (
    id              uuid primary key,
    campaign_id     uuid not null references campaign (id),
    lead_id         uuid not null references lead (id),
    e164            text not null,
    state           text not null,
    outcome         text references disposition_code (code),
    detail          text,
    call_control_id text unique,
    amd_result      text,
    agent_id        uuid references agent (id),
    call_id         uuid,
    created_at      timestamptz not null,
    answered_at     timestamptz,
    human_at        timestamptz,
    connected_at    timestamptz,
    ended_at        timestamptz
);
create index dial_attempt_lead on dial_attempt (lead_id, created_at);
create index dial_attempt_campaign on dial_attempt (campaign_id, created_at);
create index dial_attempt_open on dial_attempt (campaign_id) where ended_at is null;

-- Append-only: every transition of an attempt, the record that proves the 2-second rule was kept.
create table dial_attempt_event (
    id          bigint generated always as identity primary key,
    attempt_id  uuid not null references dial_attempt (id),
    occurred_at timestamptz not null,
    from_state  text,
    to_state    text not null,
    event       text not null,
    detail      text
);
create index dial_attempt_event_attempt on dial_attempt_event (attempt_id, id);

-- Telnyx webhooks are acknowledged once stored here and applied later, so an event survives a crash after the 200.
-- Keyed by Telnyx's event id: redeliveries collapse.
create table telnyx_inbox (
    event_id        text primary key,
    event_type      text not null,
    call_control_id text,
    attempt_id      uuid,
    occurred_at     timestamptz not null,
    body            text not null,
    received_at     timestamptz not null,
    applied_at      timestamptz,
    failure         text
);
create index telnyx_inbox_pending on telnyx_inbox (occurred_at) where applied_at is null;
