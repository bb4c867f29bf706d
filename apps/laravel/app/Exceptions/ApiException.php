<?php

namespace App\Exceptions;

use Illuminate\Http\JsonResponse;
use RuntimeException;

/**
 * An error the contract names (RULES.md §2), rendered as
 * {"error": {"code": "...", "message": "..."}}.
 */
class ApiException extends RuntimeException
{
    /**
     * @param  array<string, mixed>  $details  more members of "error" (out_of_stock's product_ids)
     */
    public function __construct(
        public readonly int $status,
        public readonly string $errorCode,
        string $message,
        public readonly array $details = [],
    ) {
        parent::__construct($message);
    }

    public static function badRequest(string $message): static
    {
        return new static(400, 'bad_request', $message);
    }

    public static function notFound(string $message): static
    {
        return new static(404, 'not_found', $message);
    }

    public static function unsupportedMediaType(): static
    {
        return new static(415, 'unsupported_media_type', 'Send the body as application/json.');
    }

    public static function validationFailed(string $message): static
    {
        return new static(422, 'validation_failed', $message);
    }

    /**
     * @param  list<int>  $productIds
     */
    public static function outOfStock(array $productIds): static
    {
        sort($productIds);

        return new static(409, 'out_of_stock', 'Not enough stock.', ['product_ids' => $productIds]);
    }

    public function render(): JsonResponse
    {
        return Handler::errorResponse($this->status, $this->errorCode, $this->getMessage(), $this->details);
    }
}
