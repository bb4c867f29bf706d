// A JSON body nested deeper than 100 arrays and objects is 400 (RULES.md §1). A global pipe that
// runs before ValidationPipe, whose class-transformer would otherwise recurse into every level.
import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

export const MAX_JSON_DEPTH = 100;

/** Whether a parsed JSON value nests deeper than `max` (the value itself is level 1); no recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

@Injectable()
export class JsonDepthPipe implements PipeTransform {
  transform(value: unknown, { type }: ArgumentMetadata): unknown {
    if (type === 'body' && nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      throw new BadRequestException(`JSON nests at most ${MAX_JSON_DEPTH} arrays and objects deep`);
    }
    return value;
  }
}
