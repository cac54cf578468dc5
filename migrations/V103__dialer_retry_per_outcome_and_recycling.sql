-- Per outcome (NO_ANSWER, BUSY, VOICEMAIL, DISCONNECTED): the most attempts a lead gets while its attempts end so;
-- an outcome not listed is capped by max_attempts alone.
alter table campaign add column retry_max_attempts jsonb not null default '{}';

-- Why the dialer closed a lead by itself (an outcome's maximum reached); null for a person's or agent's answer.
alter table lead add column closed_reason text;

-- A manager putting closed leads back in the dial list: which statuses, how many leads, who.
create table lead_recycle_event (
    id          bigint generated always as identity primary key,
    campaign_id uuid not null references campaign (id),
    statuses    text[] not null,
    leads       integer not null,
    recycled_by uuid references app_user (id),
    occurred_at timestamptz not null
);
create index lead_recycle_event_campaign on lead_recycle_event (campaign_id, id);
