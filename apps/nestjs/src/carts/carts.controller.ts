import { Body, Controller, Get, HttpCode, HttpStatus, MethodNotAllowedException, Param, Post } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { AddItemDto } from './dto/add-item.dto.js';
import { CartsService } from './carts.service.js';

/** Cart ids in paths have the contract's form (cartId middleware); they are stored lower-case. */
@Controller('carts')
export class CartsController {
  constructor(private readonly carts: CartsService) {}

  /** Any body and any Content-Type are ignored: no body parser runs on this route. */
  @Post()
  create() {
    return this.carts.create();
  }

  @OtherMethods('POST')
  cartsOtherMethods(): never {
    throw new MethodNotAllowedException();
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.carts.findOne(id.toLowerCase());
  }

  @OtherMethods('GET', ':id')
  cartOtherMethods(): never {
    throw new MethodNotAllowedException();
  }

  @Post(':id/items')
  @HttpCode(HttpStatus.OK)
  addItem(@Param('id') id: string, @Body() item: AddItemDto) {
    return this.carts.addItem(id.toLowerCase(), item);
  }

  @OtherMethods('POST', ':id/items')
  itemsOtherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
