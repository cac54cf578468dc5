-- The safe-harbor message an abandoned person hears must name the seller, give a number to call back and offer an
-- opt-out (the key adds the number to the do-not-call list). The text is checked against these fields; the same
-- message is spoken by Telnyx and played from uploaded audio by Asterisk.
alter table campaign add column seller_name text;
alter table campaign add column callback_number text check (callback_number ~ '^\+[1-9][0-9]{6,14}$');
alter table campaign add column opt_out_digit text not null default '9' check (opt_out_digit ~ '^[0-9*#]$');
-- Uploaded 8 kHz audio of the message, stored where Asterisk plays recordings from (null: none yet).
alter table campaign add column safe_harbor_audio_at timestamptz;
