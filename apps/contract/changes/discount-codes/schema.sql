-- discount-codes: applied once, after seeding, on top of datasets/schema.sql.

CREATE TABLE discount_codes (
    code             text        PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),
    -- exactly one of percent_off and amount_off_cents is set
    percent_off      integer     CHECK (percent_off BETWEEN 1 AND 100),
    amount_off_cents integer     CHECK (amount_off_cents > 0),
    -- the code is valid while now() < expires_at; NULL never expires
    expires_at       timestamptz,
    -- how many orders may use the code; NULL is no limit
    usage_limit      integer     CHECK (usage_limit >= 1),
    times_used       integer     NOT NULL DEFAULT 0 CHECK (times_used >= 0),
    -- no CHECK (times_used <= usage_limit): keeping to the limit is the app's job, and the
    -- acceptance checks count the uses to see that it does
    CHECK ((percent_off IS NULL) <> (amount_off_cents IS NULL))
);

ALTER TABLE orders
    ADD COLUMN discount_code  text   REFERENCES discount_codes (code),
    ADD COLUMN discount_cents bigint NOT NULL DEFAULT 0 CHECK (discount_cents >= 0);

-- A few codes to try by hand. The acceptance checks insert their own.
INSERT INTO discount_codes (code, percent_off, amount_off_cents, expires_at, usage_limit) VALUES
    ('WELCOME10', 10,   NULL, NULL,                           NULL),
    ('FIVEOFF',   NULL, 500,  NULL,                           NULL),
    ('ONCE50',    50,   NULL, NULL,                           1),
    ('SPRING24',  20,   NULL, '2024-06-01T00:00:00Z',         NULL);
