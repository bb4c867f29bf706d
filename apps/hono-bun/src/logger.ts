/** pino, writing one JSON object per line to stdout: `ts` in RFC 3339 UTC and `level` by name. */
import pino from 'pino';

export const logger = pino({
  base: undefined,
  timestamp: () => `,"ts":"${new Date().toISOString()}"`,
  formatters: { level: (label) => ({ level: label }) },
});
