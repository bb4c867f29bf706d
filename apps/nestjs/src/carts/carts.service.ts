// Carts (RULES.md §4): create, read at current prices, add a product in one transaction.
import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThanOrEqual, Repository } from 'typeorm';

import { cartCheckedOut } from '../common/api-error.js';
import { Product } from '../products/entities/product.entity.js';
import { MAX_LINE_QUANTITY, type AddItemDto } from './dto/add-item.dto.js';
import { CartItem } from './entities/cart-item.entity.js';
import { Cart } from './entities/cart.entity.js';
import { type Line, line, subtotalCents } from './line.js';

export interface CartBody {
  id: string;
  items: Line[];
  subtotal_cents: number;
}

@Injectable()
export class CartsService {
  constructor(
    @InjectRepository(Cart) private readonly carts: Repository<Cart>,
    private readonly dataSource: DataSource,
  ) {}

  async create(): Promise<CartBody> {
    const { identifiers } = await this.carts.insert({});
    return { id: identifiers[0].id as string, items: [], subtotal_cents: 0 };
  }

  findOne(id: string): Promise<CartBody> {
    return this.load(this.carts.manager, id);
  }

  addItem(cartId: string, { product_id: productId, quantity }: AddItemDto): Promise<CartBody> {
    return this.dataSource.transaction(async (em) => {
      // FOR SHARE: a concurrent checkout (FOR NO KEY UPDATE) waits for this, or this for it.
      const cart = await em.findOne(Cart, { where: { id: cartId }, lock: { mode: 'pessimistic_read' } });
      if (!cart) throw new NotFoundException(`no cart ${cartId}`);
      if (cart.checkedOutAt !== null) throw cartCheckedOut();
      if (!(await em.existsBy(Product, { id: productId }))) throw new NotFoundException(`no product ${productId}`);

      // A new line is inserted; an existing one (even one a concurrent request just inserted)
      // is increased in place, and only while it stays within 100.
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(CartItem)
        .values({ cartId, productId, quantity })
        .orIgnore()
        .returning('quantity')
        .updateEntity(false)
        .execute();
      if (inserted.raw.length === 0) {
        const within = { cartId, productId, quantity: LessThanOrEqual(MAX_LINE_QUANTITY - quantity) };
        const { affected } = await em.increment(CartItem, within, 'quantity', quantity);
        if (!affected) throw new UnprocessableEntityException(`a cart line holds at most ${MAX_LINE_QUANTITY}`);
      }
      return this.load(em, cartId);
    });
  }

  /** The cart with its lines at current product prices, by product_id; 404 if there is none. */
  private async load(em: EntityManager, id: string): Promise<CartBody> {
    const cart = await em
      .createQueryBuilder(Cart, 'cart')
      .leftJoinAndSelect('cart.items', 'item')
      .leftJoin('item.product', 'product')
      .addSelect(['product.id', 'product.name', 'product.priceCents'])
      .where('cart.id = :id', { id })
      .orderBy('item.productId', 'ASC')
      .getOne();
    if (!cart) throw new NotFoundException(`no cart ${id}`);
    const items = cart.items.map((i) => line(i.productId, i.product.name, i.product.priceCents, i.quantity));
    return { id: cart.id, items, subtotal_cents: subtotalCents(items) };
  }
}
