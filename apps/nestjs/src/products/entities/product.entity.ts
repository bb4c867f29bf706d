import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `products`; search_vector (generated, tsvector) is left out and named only in search SQL. */
@Entity('products')
export class Product {
  @PrimaryColumn('integer')
  id!: number;

  @Column('text')
  sku!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  brand!: string;

  @Column('integer', { name: 'category_id' })
  categoryId!: number;

  @Column('integer', { name: 'price_cents' })
  priceCents!: number;

  @Column('integer')
  stock!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
