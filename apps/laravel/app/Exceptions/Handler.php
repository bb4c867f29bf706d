<?php

namespace App\Exceptions;

use Illuminate\Database\DetectsLostConnections;
use Illuminate\Database\QueryException;
use Illuminate\Foundation\Exceptions\Handler as ExceptionHandler;
use Illuminate\Http\JsonResponse;
use Illuminate\Support\Facades\Log;
use Illuminate\Validation\ValidationException;
use PDOException;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Throwable;

/**
 * Every error becomes the contract's body (RULES.md §2). ApiException renders
 * itself; the framework's own exceptions (unknown route, method not allowed,
 * model not found, failed validation, a database that does not answer) are
 * mapped here, and anything else is 500 "internal" (and logged).
 */
class Handler extends ExceptionHandler
{
    use DetectsLostConnections;

    private const CODES = [
        400 => 'bad_request',
        404 => 'not_found',
        405 => 'method_not_allowed',
        413 => 'payload_too_large',
        415 => 'unsupported_media_type',
        422 => 'validation_failed',
        503 => 'unavailable',
    ];

    /**
     * The contract's errors are answers, not faults: they are not logged.
     *
     * @var array<int, class-string<Throwable>>
     */
    protected $dontReport = [
        ApiException::class,
    ];

    /**
     * Register the exception handling callbacks for the application.
     */
    public function register(): void
    {
        // A database that does not answer is logged in one line, not with a trace per request.
        $this->reportable(function (QueryException|PDOException $e) {
            if ($this->databaseUnavailable($e)) {
                Log::warning('database unavailable: '.$e->getMessage());

                return false;
            }
        });

        $this->renderable(fn (ValidationException $e) => self::errorResponse(
            422, 'validation_failed', $e->validator->errors()->first()
        ));

        $this->renderable(fn (QueryException|PDOException $e) => $this->databaseUnavailable($e)
            ? self::errorResponse(503, 'unavailable', 'The database does not answer.')
            : null);

        $this->renderable(fn (HttpExceptionInterface $e) => self::errorResponse(
            $e->getStatusCode(),
            self::CODES[$e->getStatusCode()] ?? ($e->getStatusCode() >= 500 ? 'internal' : 'bad_request'),
            $e->getMessage() ?: JsonResponse::$statusTexts[$e->getStatusCode()] ?? 'Error',
            headers: $e->getHeaders(),
        ));

        $this->renderable(fn (Throwable $e) => self::errorResponse(500, 'internal', 'Internal error.'));
    }

    /**
     * @param  array<string, mixed>  $details
     * @param  array<string, string>  $headers
     */
    public static function errorResponse(int $status, string $code, string $message, array $details = [], array $headers = []): JsonResponse
    {
        return new JsonResponse(['error' => ['code' => $code, 'message' => $message] + $details], $status, $headers);
    }

    /**
     * A connection that could not be made (SQLSTATE class 08) or was lost.
     */
    private function databaseUnavailable(QueryException|PDOException $e): bool
    {
        return str_contains($e->getMessage(), 'SQLSTATE[08') || $this->causedByLostConnection($e);
    }
}
