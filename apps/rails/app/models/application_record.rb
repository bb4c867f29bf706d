# The tables are datasets/schema.sql's, named the Rails way (products, cart_items, …), so the
# models need no table_name. The schema owns its defaults: ids (identity, gen_random_uuid()) and
# created_at (now()), so Active Record leaves timestamps to PostgreSQL.
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class

  self.record_timestamps = false
end
