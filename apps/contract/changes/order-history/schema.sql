-- order-history: applied once, after seeding, on top of datasets/schema.sql.
-- One index serves the filter and the order of the page.
CREATE INDEX orders_email_created_at_idx ON orders (email, created_at DESC, id DESC);
