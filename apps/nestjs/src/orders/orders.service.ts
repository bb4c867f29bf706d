// Checkout (RULES.md §5) and orders (§6).
import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError, Repository } from 'typeorm';

import { ApiError, cartCheckedOut, outOfStock } from '../common/api-error.js';
import { CartItem } from '../carts/entities/cart-item.entity.js';
import { Cart } from '../carts/entities/cart.entity.js';
import { type Line, line, subtotalCents } from '../carts/line.js';
import { Product } from '../products/entities/product.entity.js';
import { OrderItem } from './entities/order-item.entity.js';
import { Order, utcTimestamp } from './entities/order.entity.js';

export interface OrderBody {
  id: number;
  cart_id: string;
  email: string;
  status: string;
  items: Line[];
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  created_at: string;
}

const INT64_MAX = 2n ** 63n - 1n;

/** 8.25 %, rounded half up, in 64-bit integer arithmetic. */
export const taxCents = (subtotal: number): number => Number((BigInt(subtotal) * 825n + 5000n) / 10000n);

const orderBody = (order: Order): OrderBody => ({
  id: order.id,
  cart_id: order.cartId,
  email: order.email,
  status: order.status,
  items: order.items.map((i) => line(i.productId, i.product.name, i.unitPriceCents, i.quantity)),
  subtotal_cents: order.subtotalCents,
  tax_cents: order.taxCents,
  total_cents: order.totalCents,
  created_at: order.createdAtUtc,
});

/** The failures after which a twin request with the same key may have made the order. */
const twinMayHaveWon = (err: unknown): boolean =>
  (err instanceof ApiError && err.code === 'cart_checked_out') ||
  (err instanceof QueryFailedError &&
    (err.driverError as { constraint?: string }).constraint === 'orders_idempotency_key_key');

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    private readonly dataSource: DataSource,
  ) {}

  async findOne(id: string): Promise<OrderBody> {
    const order = BigInt(id) <= INT64_MAX ? await this.load({ id }) : undefined;
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }

  /** `created` is false when an earlier request with the same key made the order. */
  async checkout(cartId: string, email: string, key?: string): Promise<{ order: OrderBody; created: boolean }> {
    const earlier = key === undefined ? undefined : await this.replay(key, cartId);
    if (earlier) return { order: earlier, created: false };
    try {
      const order = await this.dataSource.transaction((em) => this.placeOrder(em, cartId, email, key ?? null));
      return { order, created: true };
    } catch (err) {
      const twin = key !== undefined && twinMayHaveWon(err) ? await this.replay(key, cartId) : undefined;
      if (!twin) throw err;
      return { order: twin, created: false };
    }
  }

  /** The order an earlier request with this key made, if any; 422 if it was for another cart. */
  private async replay(key: string, cartId: string): Promise<OrderBody | undefined> {
    const order = await this.load({ idempotencyKey: key });
    if (order && order.cart_id !== cartId) {
      throw new UnprocessableEntityException('this Idempotency-Key was used for another cart');
    }
    return order;
  }

  /** Steps 3.1 to 3.4 of RULES.md §5, inside the caller's transaction. */
  private async placeOrder(em: EntityManager, cartId: string, email: string, key: string | null): Promise<OrderBody> {
    const cart = await em.findOne(Cart, { where: { id: cartId }, lock: { mode: 'for_no_key_update' } });
    if (!cart) throw new NotFoundException(`no cart ${cartId}`);
    if (cart.checkedOutAt !== null) throw cartCheckedOut();

    // Products locked in product_id order, one order for everyone: no deadlocks. NO KEY UPDATE,
    // so the foreign-key checks of a concurrent add-to-cart are not blocked.
    const lines = await em
      .createQueryBuilder(CartItem, 'item')
      .innerJoin('item.product', 'product')
      .addSelect(['product.id', 'product.name', 'product.priceCents', 'product.stock'])
      .where('item.cartId = :cartId', { cartId })
      .orderBy('item.productId', 'ASC')
      .setLock('for_no_key_update', undefined, ['product'])
      .getMany();
    if (lines.length === 0) throw new UnprocessableEntityException('the cart is empty');
    const short = lines.filter((l) => l.quantity > l.product.stock).map((l) => l.productId);
    if (short.length > 0) throw outOfStock(short);

    for (const l of lines) await em.decrement(Product, { id: l.productId }, 'stock', l.quantity);
    await em.update(Cart, { id: cartId }, { checkedOutAt: () => 'now()' });
    const items = lines.map((l) => line(l.productId, l.product.name, l.product.priceCents, l.quantity));
    const subtotal = subtotalCents(items);
    const tax = taxCents(subtotal);
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(Order)
      .values({
        cartId,
        email,
        idempotencyKey: key,
        subtotalCents: subtotal,
        taxCents: tax,
        totalCents: subtotal + tax,
      })
      .returning(`id, status, ${utcTimestamp('created_at')} AS created_at`)
      .updateEntity(false)
      .execute();
    const order = inserted.raw[0] as { id: number; status: string; created_at: string };
    await em.insert(
      OrderItem,
      lines.map((l) => ({
        orderId: order.id,
        productId: l.productId,
        quantity: l.quantity,
        unitPriceCents: l.product.priceCents,
      })),
    );
    return {
      id: order.id,
      cart_id: cartId,
      email,
      status: order.status,
      items,
      subtotal_cents: subtotal,
      tax_cents: tax,
      total_cents: subtotal + tax,
      created_at: order.created_at,
    };
  }

  /** An order with its lines by product_id and the names of their products. */
  private async load(where: { id: string } | { idempotencyKey: string }): Promise<OrderBody | undefined> {
    const order = await this.orders
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.items', 'item')
      .leftJoin('item.product', 'product')
      .addSelect(['product.id', 'product.name'])
      .where(where)
      .orderBy('item.productId', 'ASC')
      .getOne();
    return order ? orderBody(order) : undefined;
  }
}
