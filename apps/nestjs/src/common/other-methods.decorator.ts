// A path's other methods (OPTIONS included) are 405 with an Allow header (RULES.md §1). Nest sets
// the @Header before the handler runs, so it stays on the error response the handler throws.
import { All, applyDecorators, Header } from '@nestjs/common';

/** Marks the handler that answers every method of `path` that the routes above it do not. */
export const OtherMethods = (allow: string, path?: string) => applyDecorators(All(path), Header('Allow', allow));
