// The contract's error codes (RULES.md §2) and the one error that carries its own.
import { HttpException, HttpStatus } from '@nestjs/common';

/** The code for a status; 409 has two, so a conflict is always an ApiError naming its code. */
export const CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'validation_failed',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'internal',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'unavailable',
};

/** An HTTP error with the contract's code and any fields that go beside it in `error`. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message, status);
  }
}

export const cartCheckedOut = () =>
  new ApiError(HttpStatus.CONFLICT, 'cart_checked_out', 'the cart is already checked out');

export const outOfStock = (productIds: number[]) =>
  new ApiError(HttpStatus.CONFLICT, 'out_of_stock', 'not enough stock', { product_ids: productIds });
