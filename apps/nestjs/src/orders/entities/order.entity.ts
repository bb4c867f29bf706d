import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  VirtualColumn,
} from 'typeorm';

import { OrderItem } from './order-item.entity.js';

/** created_at as the contract prints it, from SQL so every app agrees (RULES.md §6). */
export const utcTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: number;

  @Column('uuid', { name: 'cart_id', unique: true })
  cartId!: string;

  @Column('text')
  email!: string;

  @Column('text', { name: 'idempotency_key', nullable: true, unique: true })
  idempotencyKey!: string | null;

  @Column('bigint', { name: 'subtotal_cents' })
  subtotalCents!: number;

  @Column('bigint', { name: 'tax_cents' })
  taxCents!: number;

  @Column('bigint', { name: 'total_cents' })
  totalCents!: number;

  @Column('text', { default: 'confirmed' })
  status!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @VirtualColumn({ type: 'text', query: (alias) => utcTimestamp(`${alias}.created_at`) })
  createdAtUtc!: string;

  @OneToMany(() => OrderItem, (item) => item.order)
  items!: Relation<OrderItem[]>;
}
