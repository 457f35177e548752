-- An engaged kill switch may carry the time it releases itself: an incident declared at 21:00 during a match is
-- often meant to last until the final whistle, and nobody should have to stay up to flip it back. A job releases due
-- switches (and audits it); null keeps the switch on until a person releases it.
alter table kill_switches add column release_at timestamptz;
create index kill_switches_release_at on kill_switches (release_at) where release_at is not null;
