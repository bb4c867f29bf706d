-- brand-facet: applied once, after seeding, on top of datasets/schema.sql.
-- Nothing to add: products.brand and its index (products_brand_idx) exist already. The file is
-- kept so that every task folder has the same parts.
SELECT 1;
