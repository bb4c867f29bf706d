// The connection pool's gauges, read from node-postgres' Pool under TypeORM's DataSource whenever
// metrics are collected (0 while the DataSource is not connected yet).
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** What node-postgres' Pool counts. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@Injectable()
export class PoolMetrics {
  constructor(dataSource: DataSource) {
    const pool = () => (dataSource.driver as PostgresDriver).master as PoolCounts | undefined;
    const gauge = (name: string, help: string, read: (pool: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        collect() {
          const counts = pool();
          this.set(counts ? read(counts) : 0);
        },
      });
    gauge('db_pool_connections_in_use', 'Connections lent out now.', (p) => p.totalCount - p.idleCount);
    gauge('db_pool_connections_idle', 'Open connections not lent out.', (p) => p.idleCount);
    gauge('db_pool_requests_waiting', 'Queries waiting for a connection.', (p) => p.waitingCount);
  }
}
