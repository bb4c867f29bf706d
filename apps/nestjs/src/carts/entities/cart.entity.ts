import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';

import { CartItem } from './cart-item.entity.js';

@Entity('carts')
export class Cart {
  @PrimaryGeneratedColumn('uuid') // DEFAULT gen_random_uuid()
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'checked_out_at', nullable: true })
  checkedOutAt!: Date | null;

  @OneToMany(() => CartItem, (item) => item.cart)
  items!: Relation<CartItem[]>;
}
