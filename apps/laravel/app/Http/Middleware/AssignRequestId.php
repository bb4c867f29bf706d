<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Illuminate\Support\Str;
use Symfony\Component\HttpFoundation\Response;

/**
 * The request's id (RULES.md §8): the client's X-Request-Id when it is 1 to
 * 128 characters of A-Z a-z 0-9 . _ -, else a new UUID. It is kept on the
 * request for the access log and sent back on every response, errors too.
 */
class AssignRequestId
{
    public const HEADER = 'X-Request-Id';

    public function handle(Request $request, Closure $next): Response
    {
        $id = $request->headers->get(self::HEADER);
        if (! is_string($id) || ! preg_match('/\A[A-Za-z0-9._-]{1,128}\z/', $id)) {
            $id = (string) Str::uuid();
        }
        $request->attributes->set('request_id', $id);

        $response = $next($request);
        $response->headers->set(self::HEADER, $id);

        return $response;
    }
}
