import { Controller, Get, MethodNotAllowedException, Param, Query } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { ProductsService } from './products.service.js';
import { SearchQuery, searchCriteria } from './dto/search-query.dto.js';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('search')
  search(@Query() query: SearchQuery) {
    return this.products.search(searchCriteria(query));
  }

  @OtherMethods('GET', 'search')
  searchOtherMethods(): never {
    throw new MethodNotAllowedException();
  }

  /** The id has the contract's form (productId middleware). */
  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.products.findOne(Number(id));
  }

  @OtherMethods('GET', ':id')
  productOtherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
