// The application: one module per resource, the database, the access log and metrics, and what
// every route shares: path ids, the contract's validation and error body, and JSON parsing on the
// two routes that read a body.
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { json } from 'express';
import { LoggerModule } from 'nestjs-pino';

import { CartsModule } from './carts/carts.module.js';
import { BODY_LIMIT_BYTES, BodyLimitMiddleware } from './common/body-limit.middleware.js';
import { ContractExceptionFilter } from './common/contract-exception.filter.js';
import { JsonDepthPipe } from './common/json-depth.pipe.js';
import { cartId, orderId, productId } from './common/path-id.middleware.js';
import { RequireJsonMiddleware } from './common/require-json.middleware.js';
import { contractValidationPipe } from './common/validation.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { loggerOptions } from './logging/logger.options.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RequestMetricsMiddleware } from './metrics/request-metrics.middleware.js';
import { OrdersModule } from './orders/orders.module.js';
import { ProductsModule } from './products/products.module.js';

@Module({
  imports: [
    LoggerModule.forRoot(loggerOptions),
    MetricsModule,
    DatabaseModule,
    ProductsModule,
    CartsModule,
    OrdersModule,
  ],
  controllers: [HealthController],
  providers: [
    // Global pipes run in this order: the depth check before ValidationPipe transforms the body.
    { provide: APP_PIPE, useClass: JsonDepthPipe },
    { provide: APP_PIPE, useFactory: contractValidationPipe },
    { provide: APP_FILTER, useClass: ContractExceptionFilter },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Middleware runs in the order applied: request metrics first, so they see every answer; then
    // the contract's precedence: a malformed path id (404, any method), then 413, 415 and the
    // parser's 400s. The 405 handlers come after. (nestjs-pino's access log runs before all these.)
    consumer.apply(RequestMetricsMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
    consumer
      .apply(productId)
      .exclude({ path: 'products/search', method: RequestMethod.ALL })
      .forRoutes({ path: 'products/:id', method: RequestMethod.ALL });
    consumer
      .apply(cartId)
      .forRoutes(
        { path: 'carts/:id', method: RequestMethod.ALL },
        { path: 'carts/:id/items', method: RequestMethod.ALL },
      );
    consumer.apply(orderId).forRoutes({ path: 'orders/:id', method: RequestMethod.ALL });
    // The Content-Type is vetted before parsing, so the parser reads every body it gets.
    consumer
      .apply(BodyLimitMiddleware, RequireJsonMiddleware, json({ type: () => true, limit: BODY_LIMIT_BYTES }))
      .forRoutes(
        { path: 'carts/:id/items', method: RequestMethod.POST },
        { path: 'checkout', method: RequestMethod.POST },
      );
  }
}
