-- Issue 12, queue-to-queue overflow: a queue's exits (after max wait, when full, with nobody logged in) may send the
-- caller into another queue of the team (target: that queue's id), as VICIdial drops to another in-group. The API
-- refuses a queue that leads back to itself through its exits.
alter table call_queue drop constraint call_queue_overflow_kind_check;
alter table call_queue add constraint call_queue_overflow_kind_check
    check (overflow_kind in ('announcement', 'number', 'agent', 'voicemail', 'queue'));
alter table call_queue drop constraint call_queue_full_kind_check;
alter table call_queue add constraint call_queue_full_kind_check
    check (full_kind in ('announcement', 'number', 'agent', 'voicemail', 'queue'));
alter table call_queue drop constraint call_queue_no_agent_kind_check;
alter table call_queue add constraint call_queue_no_agent_kind_check
    check (no_agent_kind in ('announcement', 'number', 'agent', 'voicemail', 'queue'));
