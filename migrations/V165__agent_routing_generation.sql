-- Who is in a team, with which extension, name and phone, is routing data too (issue 14, agents from memory): an
-- inbound call takes its team's agents from memory while the routing generation (V140) stands still, so an agent
-- added, removed, moved to another team or given another phone, through whichever instance, moves it. Only those
-- columns: the end of an agent's last call (written at every call's end, ordering only) and their chosen state are
-- not routing data, and moving the generation with every call's end would empty the memory with every call.
create trigger agent_routing_generation after insert or delete or truncate on agent
    for each statement execute function routing_generation_bump();
create trigger agent_membership_routing_generation after update of team_id, extension, display_name, phone on agent
    for each statement execute function routing_generation_bump();
