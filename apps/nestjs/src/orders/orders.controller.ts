import { Controller, Get, MethodNotAllowedException, Param } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** The id has the contract's form (orderId middleware): up to 19 digits, kept as text. */
  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.orders.findOne(id);
  }

  @OtherMethods('GET', ':id')
  otherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
