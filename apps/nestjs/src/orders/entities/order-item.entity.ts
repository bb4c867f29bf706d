import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

import { Product } from '../../products/entities/product.entity.js';
import { Order } from './order.entity.js';

@Entity('order_items')
export class OrderItem {
  @PrimaryColumn('bigint', { name: 'order_id' })
  orderId!: number;

  @PrimaryColumn('integer', { name: 'product_id' })
  productId!: number;

  @Column('integer')
  quantity!: number;

  /** The price charged at checkout. */
  @Column('integer', { name: 'unit_price_cents' })
  unitPriceCents!: number;

  @ManyToOne(() => Order, (order) => order.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order!: Relation<Order>;

  @ManyToOne(() => Product)
  @JoinColumn({ name: 'product_id' })
  product!: Relation<Product>;
}
