import { Body, Controller, Headers, HttpStatus, MethodNotAllowedException, Post, Res } from '@nestjs/common';
import type { Response } from 'express';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { CheckoutDto, idempotencyKey } from './dto/checkout.dto.js';
import { OrdersService } from './orders.service.js';

@Controller('checkout')
export class CheckoutController {
  constructor(private readonly orders: OrdersService) {}

  /** 201 with the new order; 200 with the earlier one when the Idempotency-Key repeats. */
  @Post()
  async checkout(
    @Body() body: CheckoutDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    // The header is checked here, after the body: a 400 body wins over a 422 header.
    const { order, created } = await this.orders.checkout(body.cart_id.toLowerCase(), body.email, idempotencyKey(key));
    if (!created) res.status(HttpStatus.OK);
    return order;
  }

  @OtherMethods('POST')
  otherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
