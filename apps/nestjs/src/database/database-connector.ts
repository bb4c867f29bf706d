// Connects the DataSource once the app is up (RULES.md §7: the app starts while the database is
// still down; /health and every query answer 503 until it is up), retrying every second.
import { setTimeout as sleep } from 'node:timers/promises';

import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

const RETRY_MS = 1_000;

@Injectable()
export class DatabaseConnector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DatabaseConnector.name);
  private stopping = false;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    void this.connect();
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  private async connect(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.dataSource.initialize();
        if (attempt > 1) this.logger.warn('connected to PostgreSQL');
        return;
      } catch (err) {
        if (attempt === 1) this.logger.warn(`PostgreSQL does not answer yet (${(err as Error).message}); retrying`);
        await sleep(RETRY_MS);
      }
    }
  }
}
