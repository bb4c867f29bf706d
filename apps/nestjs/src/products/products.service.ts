// Product pages and search (RULES.md §3). The search is TypeORM's query builder holding only the
// filters given; the category subtree is a recursive CTE the builder attaches as SQL text, since
// the builder has no UNION.
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';

import { INT32_MAX } from '../common/validation.js';
import { Product } from './entities/product.entity.js';
import type { SearchCriteria } from './dto/search-query.dto.js';

const SUBTREE = `SELECT id FROM categories WHERE id = :category
  UNION
  SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id`;

const RANK = "ts_rank_cd(p.search_vector, websearch_to_tsquery('english', :q))";

/** The total counts exactly up to this many matches; past it, the page says "more than". */
const TOTAL_BOUND = 1000;

export interface ProductSummary {
  id: number;
  sku: string;
  name: string;
  brand: string;
  category_id: number;
  price_cents: number;
  in_stock: boolean;
}

export interface SearchPage {
  total: number;
  total_exact: boolean;
  limit: number;
  offset: number;
  items: ProductSummary[];
}

const summary = (p: Product): ProductSummary => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  brand: p.brand,
  category_id: p.categoryId,
  price_cents: p.priceCents,
  in_stock: p.stock > 0,
});

@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async findOne(id: number) {
    const product = id <= INT32_MAX ? await this.products.findOneBy({ id }) : null;
    if (!product) throw new NotFoundException(`no product ${id}`);
    return { ...summary(product), description: product.description, stock: product.stock };
  }

  async search(criteria: SearchCriteria): Promise<SearchPage> {
    const query = this.filtered(criteria)
      .select(['p.id', 'p.sku', 'p.name', 'p.brand', 'p.categoryId', 'p.priceCents', 'p.stock'])
      .limit(criteria.limit)
      .offset(criteria.offset);
    // Without q every rank is NULL: relevance orders by id alone.
    if (criteria.sort === 'relevance' && criteria.q !== undefined) query.orderBy(RANK, 'DESC');
    if (criteria.sort === 'price_asc') query.orderBy('p.priceCents', 'ASC');
    if (criteria.sort === 'price_desc') query.orderBy('p.priceCents', 'DESC');
    query.addOrderBy('p.id', 'ASC');
    const products = await query.getMany();
    const matches = await this.countUpTo(criteria, TOTAL_BOUND + 1);
    return {
      total: Math.min(matches, TOTAL_BOUND),
      total_exact: matches <= TOTAL_BOUND,
      limit: criteria.limit,
      offset: criteria.offset,
      items: products.map(summary),
    };
  }

  /** The number of matches, counting no further than `bound`: a count over a LIMITed subquery. */
  private async countUpTo(criteria: SearchCriteria, bound: number): Promise<number> {
    const matches = this.filtered(criteria).select('1').limit(bound);
    const count = await this.products.manager
      .createQueryBuilder()
      .select('count(*)::int', 'n')
      .from(`(${matches.getQuery()})`, 'm')
      .setParameters(matches.getParameters())
      .getRawOne<{ n: number }>();
    return count?.n ?? 0;
  }

  /** `products p` with the WHERE clause of the canonical SQL, holding only the filters given. */
  private filtered(c: SearchCriteria): SelectQueryBuilder<Product> {
    const query = this.products.createQueryBuilder('p');
    if (c.q !== undefined) query.andWhere("p.search_vector @@ websearch_to_tsquery('english', :q)", { q: c.q });
    if (c.category !== undefined) {
      query
        .addCommonTableExpression(SUBTREE, 'subtree', { recursive: true, columnNames: ['id'] })
        .andWhere('p.categoryId IN (SELECT id FROM subtree)', { category: c.category });
    }
    if (c.brand !== undefined) query.andWhere('p.brand = :brand', { brand: c.brand });
    if (c.minPrice !== undefined) query.andWhere('p.priceCents >= :minPrice', { minPrice: c.minPrice });
    if (c.maxPrice !== undefined) query.andWhere('p.priceCents <= :maxPrice', { maxPrice: c.maxPrice });
    if (c.inStock !== undefined) query.andWhere('(p.stock > 0) = :inStock', { inStock: c.inStock });
    return query;
  }
}
