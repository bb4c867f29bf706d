class Category < ApplicationRecord
  belongs_to :parent, class_name: "Category", optional: true
  has_many :children, class_name: "Category", foreign_key: :parent_id, inverse_of: :parent

  # The ids of category +id+ and all of its descendants, as a subquery (RULES.md §3's
  # WITH RECURSIVE subtree).
  def self.subtree_ids(id)
    unscoped
      .with_recursive(subtree: [ where(id:).select(:id), joins("JOIN subtree ON categories.parent_id = subtree.id").select(:id) ])
      .from("subtree")
      .select("subtree.id")
  end
end
