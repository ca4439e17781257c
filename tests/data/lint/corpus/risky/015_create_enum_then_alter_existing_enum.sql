-- expect: require-enum-value-ordering
CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'high');
ALTER TYPE ticket_status ADD VALUE IF NOT EXISTS 'waiting_on_customer';
