import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DatabaseConnector } from './database-connector.js';
import { typeOrmOptions } from './typeorm.options.js';

@Module({
  imports: [TypeOrmModule.forRoot(typeOrmOptions())],
  providers: [DatabaseConnector],
})
export class DatabaseModule {}
