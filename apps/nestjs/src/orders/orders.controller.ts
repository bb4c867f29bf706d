import { Controller, Get, MethodNotAllowedException, Param } from '@nestjs/common';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { orderIdPipe } from '../common/path-id.pipes.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  findOne(@Param('id', orderIdPipe) id: string) {
    return this.orders.findOne(id);
  }

  @OtherMethods('GET', ':id')
  otherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
