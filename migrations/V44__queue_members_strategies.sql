-- Issue 12, queues wave 2: all five strategies, agents' skills with levels, caller priority, wrap-up per queue and
-- several queues per team (an agent may serve several of them).
alter table call_queue drop constraint call_queue_strategy_check;
alter table call_queue add constraint call_queue_strategy_check
    check (strategy in ('longest_idle', 'round_robin', 'fewest_calls', 'ring_all', 'linear'));
-- A team may have several queues; the one made first is where the team's numbers go by default.
alter table call_queue drop constraint call_queue_team_id_key;
create index call_queue_team on call_queue (team_id, created_at);
-- Callers of a queue with a higher priority are served before those of other queues the same agents serve.
alter table call_queue add column priority integer not null default 0 check (priority between 0 and 9);
-- The agent's wrap-up after a call from this queue; null: the team's wrap-up.
alter table call_queue add column wrap_up_seconds integer check (wrap_up_seconds between 0 and 3600);

-- Who serves a queue, at which skill level (1 best: free agents of the best level present are offered first, as
-- app_queue's penalty or FreeSWITCH's tier level), and whether they are logged into it now. A queue without any
-- member row is served by every agent of its team at level 1.
create table queue_member (
    queue_id    uuid not null references call_queue (id) on delete cascade,
    agent_id    uuid not null references agent (id) on delete cascade,
    level       integer not null default 1 check (level between 1 and 9),
    logged_in   boolean not null default true,
    primary key (queue_id, agent_id)
);
create index queue_member_agent on queue_member (agent_id);
