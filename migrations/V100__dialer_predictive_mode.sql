-- Predictive mode: adaptive's guarded ratio, applied to the agents expected to be free when a person answers.
alter table campaign drop constraint campaign_dial_mode_check;
alter table campaign add constraint campaign_dial_mode_check
    check (dial_mode in ('1.5', '2.0', '3.0', 'ADAPTIVE', 'PREDICTIVE'));
