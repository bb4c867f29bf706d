// The application: one module per resource, the database, and what every route shares: the
// contract's validation and error body, and JSON parsing on the two routes that read a body.
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { json } from 'express';

import { CartsModule } from './carts/carts.module.js';
import { ContractExceptionFilter } from './common/contract-exception.filter.js';
import { RequireJsonMiddleware } from './common/require-json.middleware.js';
import { contractValidationPipe } from './common/validation.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { OrdersModule } from './orders/orders.module.js';
import { ProductsModule } from './products/products.module.js';

@Module({
  imports: [DatabaseModule, ProductsModule, CartsModule, OrdersModule],
  controllers: [HealthController],
  providers: [
    { provide: APP_PIPE, useFactory: contractValidationPipe },
    { provide: APP_FILTER, useClass: ContractExceptionFilter },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // 415 first, then parse: the Content-Type is vetted, so the parser reads every body it gets.
    consumer
      .apply(RequireJsonMiddleware, json({ type: () => true, limit: '100kb' }))
      .forRoutes(
        { path: 'carts/:id/items', method: RequestMethod.POST },
        { path: 'checkout', method: RequestMethod.POST },
      );
  }
}
