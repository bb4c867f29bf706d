import { Body, Controller, Get, HttpCode, HttpStatus, MethodNotAllowedException, Param, Post } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { UuidPipe } from '../common/path-id.pipes.js';
import { AddItemDto } from './dto/add-item.dto.js';
import { CartsService } from './carts.service.js';

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
  findOne(@Param('id', UuidPipe) id: string) {
    return this.carts.findOne(id);
  }

  @OtherMethods('GET', ':id')
  cartOtherMethods(): never {
    throw new MethodNotAllowedException();
  }

  @Post(':id/items')
  @HttpCode(HttpStatus.OK)
  addItem(@Param('id', UuidPipe) id: string, @Body() item: AddItemDto) {
    return this.carts.addItem(id, item);
  }

  @OtherMethods('POST', ':id/items')
  itemsOtherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
