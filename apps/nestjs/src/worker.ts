// One cluster worker: the Nest application on PORT. On SIGTERM the shutdown hooks stop the HTTP
// server (requests in flight finish), close the pool (TypeOrmModule) and exit 0.
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  // The router takes these settings when it is created, so they go on the instance Nest wraps.
  const server = express();
  server.set('strict routing', true); // "/health/" is not "/health"
  server.set('case sensitive routing', true);
  server.disable('x-powered-by');
  // Node 20.19 (Debian trixie's) parses QUERY but leaves req.method undefined (Node 20.20 names
  // it). Express's app.all(), behind every @All() route, matches named methods only: name it.
  server.use((req: Request, _res: Response, next: NextFunction) => {
    req.method ??= 'QUERY';
    next();
  });

  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(server), {
    bodyParser: false, // only the two routes that read a body parse one (AppModule)
    bufferLogs: true, // until nestjs-pino's Logger takes over Nest's own logging
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const port = Number(process.env.PORT) || 8080;
  await app.listen(port);
  app.get(Logger).log(`worker ${process.pid}: listening on ${port}`);
}

await bootstrap();
