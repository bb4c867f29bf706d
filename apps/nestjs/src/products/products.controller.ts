import { Controller, Get, MethodNotAllowedException, Param, Query } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { productIdPipe } from '../common/path-id.pipes.js';
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

  @Get(':id')
  findOne(@Param('id', productIdPipe) id: string) {
    return this.products.findOne(Number(id));
  }

  @OtherMethods('GET', ':id')
  productOtherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
