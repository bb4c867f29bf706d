// TypeORM on the shared schema (datasets/schema.sql): never synchronized, never migrated.
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';

export function typeOrmOptions(): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url: process.env.DATABASE_URL,
    poolSize: Number(process.env.DB_POOL_SIZE) || 10, // most connections of one worker (RULES.md §7)
    connectTimeoutMS: 5_000,
    parseInt8: true, // bigint columns (order ids, money) as JSON numbers
    autoLoadEntities: true,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: false,
    // TypeORM connects while Nest builds the module graph, which would keep the app from starting
    // until PostgreSQL answers; DatabaseConnector connects after startup instead.
    manualInitialization: true,
  };
}
