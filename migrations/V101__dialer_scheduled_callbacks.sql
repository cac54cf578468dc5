-- Scheduled callbacks: a CALLBACK disposition with a time on the person's wall clock and an owner. An agent's own
-- callback comes back to that agent; a campaign's joins the dial list ahead of the others at its time.
create table lead_callback (
    id              uuid primary key,
    lead_id         uuid not null references lead (id),
    campaign_id     uuid not null references campaign (id),
    -- The call it was promised in (a dialled call's id is its attempt's).
    attempt_id      uuid references dial_attempt (id),
    due_at          timestamptz not null,
    -- The zone the agent's local time was read in, to show it back as the person said it.
    zone            text not null,
    -- Null: anyone on the campaign.
    owner_agent_id  uuid references agent (id),
    set_by_agent_id uuid references agent (id),
    -- PENDING until due; OFFERED to its agent as a preview; DONE once dialled; MISSED when its agent let it pass.
    status          text not null default 'PENDING'
        check (status in ('PENDING', 'OFFERED', 'DONE', 'MISSED', 'CANCELLED')),
    created_at      timestamptz not null default now(),
    done_at         timestamptz
);
-- One open promise per person: a new callback replaces the one before.
create unique index lead_callback_one_open on lead_callback (lead_id) where status in ('PENDING', 'OFFERED');
create index lead_callback_due on lead_callback (due_at) where status in ('PENDING', 'OFFERED');
create index lead_callback_owner on lead_callback (owner_agent_id, due_at) where owner_agent_id is not null;

-- Lead priority (a manager's, and a campaign callback's): the dial list takes higher first, then the oldest due.
alter table lead add column priority integer not null default 0 check (priority between -100 and 100);
drop index lead_due;
create index lead_due on lead (campaign_id, priority desc, next_attempt_at nulls first, created_at)
    where status in ('NEW', 'RETRY');

-- CALLBACK: waiting for the agent who owns its callback (not in the dial list).
alter table lead drop constraint lead_status_check;
alter table lead add constraint lead_status_check check (status in ('NEW', 'DIALING', 'RETRY', 'DONE', 'CALLBACK'));
