<?php

namespace App\Http\Middleware;

use App\Metrics\Registry;
use Closure;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Log;
use Symfony\Component\HttpFoundation\Response;
use Throwable;

/**
 * The access log line and the request-duration observation of every request
 * (RULES.md §8), written once the response has been sent (a terminable
 * middleware: PHP-FPM has finished the response when terminate() runs).
 */
class ObserveRequest
{
    public function __construct(private Registry $metrics)
    {
    }

    public function handle(Request $request, Closure $next): Response
    {
        return $next($request);
    }

    public function terminate(Request $request, Response $response): void
    {
        // From the request's arrival at PHP-FPM.
        $seconds = microtime(true) - $request->server('REQUEST_TIME_FLOAT', LARAVEL_START);
        $route = $request->route()?->uri();
        $route = $route === null ? null : '/'.ltrim($route, '/');
        $status = $response->getStatusCode();

        $this->metrics->observeRequest($request->getMethod(), $route ?? '', $status, $seconds);
        $this->metrics->observeProcess();

        $line = [
            'method' => $request->getMethod(),
            'route' => $route,
            'status' => $status,
            'duration_ms' => round($seconds * 1000, 3),
            'request_id' => $request->attributes->get('request_id'),
        ];
        if ($status >= 500) {
            $exception = $response->exception ?? null;
            $line['error'] = $exception instanceof Throwable
                ? $exception::class.': '.$exception->getMessage()
                : Response::$statusTexts[$status] ?? 'server error';
            Log::channel('access')->error('request', $line);
        } else {
            Log::channel('access')->info('request', $line);
        }
    }
}
