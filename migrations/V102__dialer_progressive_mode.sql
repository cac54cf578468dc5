-- Progressive mode: one dial per free agent, the agent reserved before the dial.
alter table campaign drop constraint campaign_dial_mode_check;
alter table campaign add constraint campaign_dial_mode_check
    check (dial_mode in ('1.5', '2.0', '3.0', 'ADAPTIVE', 'PREDICTIVE', 'PROGRESSIVE'));
