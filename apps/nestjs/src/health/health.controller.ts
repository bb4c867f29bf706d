// GET /health: 200 only when the database answers SELECT 1 (within the pool's 5 s connect timeout).
import { Controller, Get, MethodNotAllowedException, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { OtherMethods } from '../common/other-methods.decorator.js';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async check(): Promise<{ status: 'ok' }> {
    if (!this.dataSource.isInitialized) throw new ServiceUnavailableException('the database does not answer yet');
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }

  @OtherMethods('GET')
  otherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
