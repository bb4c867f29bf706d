-- bakeoff: the authoritative schema every app uses. Apps never migrate it.
--
-- The seeder (`bakeoff seed`) runs the part above the after-load marker line, bulk-loads the
-- catalogue with COPY, then runs the part below it (indexes are cheaper to build after a load).
-- Run as a whole file (psql -f) it gives the same result on an empty database.

CREATE TABLE categories (
    id        integer PRIMARY KEY,
    name      text    NOT NULL,
    parent_id integer REFERENCES categories (id)
);

CREATE TABLE products (
    id            integer     PRIMARY KEY,
    sku           text        NOT NULL UNIQUE,
    name          text        NOT NULL,
    description   text        NOT NULL,
    brand         text        NOT NULL,
    category_id   integer     NOT NULL REFERENCES categories (id),
    price_cents   integer     NOT NULL CHECK (price_cents > 0),
    stock         integer     NOT NULL CHECK (stock >= 0),
    created_at    timestamptz NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', brand), 'B') ||
        setweight(to_tsvector('english', description), 'C')
    ) STORED
);

CREATE TABLE carts (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    checked_out_at timestamptz
);

CREATE TABLE cart_items (
    cart_id    uuid    NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id integer NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE orders (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cart_id         uuid        NOT NULL UNIQUE REFERENCES carts (id),
    email           text        NOT NULL,
    idempotency_key text        UNIQUE,
    subtotal_cents  bigint      NOT NULL CHECK (subtotal_cents >= 0),
    tax_cents       bigint      NOT NULL CHECK (tax_cents >= 0),
    total_cents     bigint      NOT NULL CHECK (total_cents >= 0),
    status          text        NOT NULL DEFAULT 'confirmed',
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_id         bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       integer NOT NULL REFERENCES products (id),
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    unit_price_cents integer NOT NULL CHECK (unit_price_cents > 0),
    PRIMARY KEY (order_id, product_id)
);

-- @after-load

CREATE INDEX products_search_vector_idx ON products USING gin (search_vector);
CREATE INDEX products_category_id_idx ON products (category_id);
CREATE INDEX products_brand_idx ON products (brand);
CREATE INDEX products_price_cents_idx ON products (price_cents, id);
CREATE INDEX categories_parent_id_idx ON categories (parent_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
ANALYZE categories, products;
