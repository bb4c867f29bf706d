"""Models over datasets/schema.sql. The schema is the project's, not Django's: every
model is unmanaged (no migrations), names its table, and declares the database's own
defaults with `db_default`, so an INSERT leaves them to PostgreSQL and reads them back
with RETURNING."""

from django.contrib.postgres.functions import RandomUUID, TransactionNow
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class Category(models.Model):
    id = models.IntegerField(primary_key=True)
    name = models.TextField()
    parent = models.ForeignKey(
        "self", models.DO_NOTHING, null=True, related_name="children"
    )

    class Meta:
        managed = False
        db_table = "categories"


class ProductQuerySet(models.QuerySet):
    def with_in_stock(self):
        """Adds `in_stock` (stock > 0), computed in SQL as the canonical query does."""
        return self.annotate(in_stock=Q(stock__gt=0))


class Product(models.Model):
    id = models.IntegerField(primary_key=True)
    sku = models.TextField(unique=True)
    name = models.TextField()
    description = models.TextField()
    brand = models.TextField()
    category = models.ForeignKey(Category, models.DO_NOTHING, related_name="products")
    price_cents = models.IntegerField()
    stock = models.IntegerField()
    created_at = models.DateTimeField()
    # Generated (name A, brand B, description C; 'english'): read, never written.
    search_vector = SearchVectorField()

    objects = ProductQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "products"


class Cart(models.Model):
    id = models.UUIDField(primary_key=True, db_default=RandomUUID())
    created_at = models.DateTimeField(db_default=TransactionNow())
    checked_out_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "carts"


class CartItem(models.Model):
    pk = models.CompositePrimaryKey("cart_id", "product_id")
    # ON DELETE CASCADE lives in the schema; Django deletes nothing here.
    cart = models.ForeignKey(Cart, models.DO_NOTHING, related_name="items")
    product = models.ForeignKey(Product, models.DO_NOTHING, related_name="+")
    quantity = models.IntegerField()

    class Meta:
        managed = False
        db_table = "cart_items"


class Order(models.Model):
    id = models.BigAutoField(primary_key=True)  # GENERATED ALWAYS AS IDENTITY
    cart = models.OneToOneField(Cart, models.DO_NOTHING, related_name="order")
    email = models.TextField()
    idempotency_key = models.TextField(unique=True, null=True)
    subtotal_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
    total_cents = models.BigIntegerField()
    status = models.TextField(db_default="confirmed")
    created_at = models.DateTimeField(db_default=TransactionNow())

    class Meta:
        managed = False
        db_table = "orders"


class OrderItem(models.Model):
    pk = models.CompositePrimaryKey("order_id", "product_id")
    order = models.ForeignKey(Order, models.DO_NOTHING, related_name="items")
    product = models.ForeignKey(Product, models.DO_NOTHING, related_name="+")
    quantity = models.IntegerField()
    unit_price_cents = models.IntegerField()

    class Meta:
        managed = False
        db_table = "order_items"
