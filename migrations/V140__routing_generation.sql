-- The generation of the data an inbound call is routed by (issue 14, routing from memory). Every app instance keeps
-- that data in memory and reads this one row per new call instead of the data itself: a commit that changed any of
-- it, through whichever instance or by hand in psql, has moved the generation before the next call reads it, so no
-- instance routes by an edit another one made. Statement triggers, so a bulk edit moves it once; the row lock they
-- take serialises edits of routing data, which are an administrator's, never a call's.
create table routing_generation (
    id          boolean primary key default true check (id),
    generation  bigint not null
);
insert into routing_generation (id, generation) values (true, 1);

create function routing_generation_bump() returns trigger language plpgsql as $$
begin
    update routing_generation set generation = generation + 1;
    return null;
end
$$;

create trigger team_routing_generation after insert or update or delete or truncate on team
    for each statement execute function routing_generation_bump();
create trigger team_number_routing_generation after insert or update or delete or truncate on team_number
    for each statement execute function routing_generation_bump();
create trigger schedule_routing_generation after insert or update or delete or truncate on schedule
    for each statement execute function routing_generation_bump();
create trigger call_queue_routing_generation after insert or update or delete or truncate on call_queue
    for each statement execute function routing_generation_bump();
