-- expect: drop-table
drop table if exists user_mention_legacy;
