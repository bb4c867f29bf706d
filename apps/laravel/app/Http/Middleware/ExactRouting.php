<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\MethodNotAllowedHttpException;
use Symfony\Component\HttpKernel\Exception\NotFoundHttpException;

/**
 * Two places where Laravel's router is more forgiving than the contract
 * (RULES.md §1): it matches "/health/" like "/health", and it answers OPTIONS
 * on a known path itself, 200 with an Allow header. Here those are 404 and 405.
 */
class ExactRouting
{
    public function handle(Request $request, Closure $next): Response
    {
        $path = $request->getPathInfo();
        if ($path !== '/' && (str_ends_with($path, '/') || str_contains($path, '//'))) {
            throw new NotFoundHttpException("The route {$path} could not be found.");
        }

        $response = $next($request);

        // This API declares no OPTIONS route: an OPTIONS answer with Allow is the router's own.
        if ($request->isMethod('OPTIONS') && $response->headers->has('Allow')) {
            throw new MethodNotAllowedHttpException(explode(',', $response->headers->get('Allow')));
        }

        return $response;
    }
}
