import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

import { Product } from '../../products/entities/product.entity.js';
import { Cart } from './cart.entity.js';

@Entity('cart_items')
export class CartItem {
  @PrimaryColumn('uuid', { name: 'cart_id' })
  cartId!: string;

  @PrimaryColumn('integer', { name: 'product_id' })
  productId!: number;

  @Column('integer') // 1..100
  quantity!: number;

  @ManyToOne(() => Cart, (cart) => cart.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cart_id' })
  cart!: Relation<Cart>;

  @ManyToOne(() => Product)
  @JoinColumn({ name: 'product_id' })
  product!: Relation<Product>;
}
