-- People who log in: agents (who also have a SIP endpoint), managers of a team, administrators.
-- Permissions follow the product's notation: calls:1 reads one's call history and recordings, calls:2 also places
-- calls (a level includes the ones below it).
create table app_user (
    id              uuid primary key,
    username        text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name    text not null,
    -- Spring Security's delegating format, e.g. {bcrypt}$2a$10$...; never a clear text password.
    password_hash   text not null,
    role            text not null check (role in ('agent', 'manager', 'admin')),
    permissions     text[] not null default '{}',
    team_id         uuid references team (id),
    agent_id        uuid unique references agent (id),
    enabled         boolean not null default true,
    created_at      timestamptz not null default now(),
    -- Everyone but an administrator belongs to a team: that is what scopes what they may see.
    check (role = 'admin' or team_id is not null),
    check (agent_id is null or role in ('agent', 'manager'))
);

-- Agents' phones: a WebRTC softphone in the browser (DTLS-SRTP over a websocket) or a plain SIP desk phone.
-- Asterisk cannot serve both from one endpoint (webrtc=yes makes DTLS mandatory), so each agent has one kind.
alter table agent add column phone text not null default 'webrtc' check (phone in ('webrtc', 'sip'));
-- Only the digest hash MD5(user:realm:password) is kept, which is what Asterisk needs (auth_type=md5); the clear
-- password exists only in the API answer that hands it to the softphone.
alter table agent add column sip_md5_cred text;
update agent set sip_md5_cred = md5(extension || ':callcenter:' || sip_password);
alter table agent alter column sip_md5_cred set not null;
alter table agent drop column sip_password;

-- Server-kept agent state. OFFLINE (no registered phone), ON_CALL and WRAP_UP follow from Asterisk and calls; the
-- agent chooses AVAILABLE or BREAK. The log is the record of utilisation and breaks.
alter table agent add column chosen_state text not null default 'AVAILABLE' check (chosen_state in ('AVAILABLE', 'BREAK'));
create table agent_state_event (
    id          bigint generated always as identity primary key,
    agent_id    uuid not null references agent (id),
    state       text not null check (state in ('OFFLINE', 'AVAILABLE', 'ON_CALL', 'WRAP_UP', 'BREAK')),
    occurred_at timestamptz not null,
    call_id     uuid,
    reason      text
);
create index agent_state_event_agent on agent_state_event (agent_id, occurred_at);

-- Outbound guard and per-team call settings.
alter table team add column allowed_prefixes text[] not null default '{+1}';
alter table team add column wrap_up_seconds integer not null default 60 check (wrap_up_seconds between 0 and 3600);

-- One code list for call outcomes and agents' dispositions (the dialer uses the same).
create table disposition_code (
    code        text primary key,
    label       text not null,
    -- Whether an agent may pick it after a call (some are outcomes only the system sets).
    agent_selectable boolean not null
);
insert into disposition_code (code, label, agent_selectable) values
    ('ANSWERED', 'Answered', true),
    ('NO_ANSWER', 'No answer', true),
    ('BUSY', 'Busy', true),
    ('VOICEMAIL', 'Voicemail / answering machine', true),
    ('CALLBACK', 'Call back later', true),
    ('INTERESTED', 'Interested', true),
    ('NOT_INTERESTED', 'Not interested', true),
    ('DO_NOT_CALL', 'Do not call', true),
    ('WRONG_NUMBER', 'Wrong number', true),
    ('DISCONNECTED', 'Number disconnected', true),
    ('ABANDONED', 'Abandoned (no agent in time)', false);

alter table call add column lead_id text;
alter table call add column disposition text references disposition_code (code);
alter table call add column disposition_note text;
alter table call add column disposed_at timestamptz;
alter table call add column disposed_by uuid references app_user (id);
create index call_team_created on call (team_id, created_at desc, id desc);

-- Do-not-call: the company's own list (honoured at once) and imported registries.
create table dnc_number (
    e164        text primary key check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
    source      text not null default 'internal',
    reason      text,
    added_by    uuid references app_user (id),
    created_at  timestamptz not null default now()
);

-- Call recordings: the file lives in the recordings directory, its facts here.
create table recording (
    id           uuid primary key,
    call_id      uuid not null references call (id),
    -- The name Asterisk knows the recording by (file name without extension).
    name         text not null unique,
    format       text not null,
    started_at   timestamptz not null,
    ended_at     timestamptz,
    duration_ms  bigint,
    size_bytes   bigint,
    sha256       text
);
create index recording_call on recording (call_id);
