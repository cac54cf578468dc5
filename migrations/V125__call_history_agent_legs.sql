-- Call history for an agent (issue 14, BENCHMARKS.md "Call history at 10 million calls"): an agent sees the calls
-- they took (call.agent_id) and those they had a leg in (rung and not answered, a transfer or conference target).
-- The second kind was an EXISTS per call row, so PostgreSQL walked all calls newest first and probed call_leg for
-- each until a page was full: fine for a busy agent, a scan of the whole table for a quiet one. The leg now carries
-- its call's created_at, so the agent's legs are read in the history's own order (created_at, id) from one index
-- range, like call_agent_created for the calls they took.
alter table call_leg add column call_created_at timestamptz;

update call_leg l set call_created_at = c.created_at from call c where c.id = l.call_id;

-- Filled from the call, not by the app: every writer of call_leg keeps it right, and a call's created_at never
-- changes once written.
create function call_leg_call_created_at() returns trigger language plpgsql as $$
begin
    new.call_created_at := (select created_at from call where id = new.call_id);
    return new;
end
$$;
create trigger call_leg_call_created_at before insert or update of call_id on call_leg
    for each row execute function call_leg_call_created_at();

create index call_leg_agent_history on call_leg (agent_id, call_created_at desc, call_id desc) where agent_id is not null;
