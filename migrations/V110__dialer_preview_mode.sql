-- Preview mode: the agent is offered the next lead and dials it (or skips it); the campaign dials nothing itself.
alter table campaign drop constraint campaign_dial_mode_check;
alter table campaign add constraint campaign_dial_mode_check
    check (dial_mode in ('1.5', '2.0', '3.0', 'ADAPTIVE', 'PREDICTIVE', 'PROGRESSIVE', 'PREVIEW'));
