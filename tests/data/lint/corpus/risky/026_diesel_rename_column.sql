-- expect: rename-column
alter table comment rename column removed to deleted_by_mod;
