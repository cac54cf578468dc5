-- How a call began (its flow: inbound, agent_dial, placed, dialled_lead). A new app instance that adopts a live
-- call needs it to handle the call as its flow would; reports can tell dialled leads from agents' own calls.
ALTER TABLE call ADD COLUMN origin text
    CHECK (origin IN ('inbound', 'agent_dial', 'placed', 'dialled_lead'));
