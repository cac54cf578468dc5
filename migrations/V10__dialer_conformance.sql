-- When the call module took the person over (the transfer reached our Asterisk): from then on the call module, not
-- the dialer's transfer watchdog, decides whether the person is connected or abandoned, also after a restart.
alter table dial_attempt add column claimed_at timestamptz;
-- How often a message (safe harbor, voicemail) ended without being heard to its end: the one repeat is decided on it.
alter table dial_attempt add column message_failures integer not null default 0;
