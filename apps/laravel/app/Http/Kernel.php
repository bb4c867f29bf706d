<?php

namespace App\Http;

use Illuminate\Foundation\Http\Kernel as HttpKernel;

class Kernel extends HttpKernel
{
    /**
     * The application's global HTTP middleware stack.
     *
     * Every request gets its id and, once answered, its access log line and
     * request-duration observation (RULES.md §8), errors included.
     *
     * No TrimStrings or ConvertEmptyStringsToNull: they rewrite input the
     * contract keeps as sent ("" is a wrong value, 422, not a missing one, 400;
     * an email is stored as sent). ValidatePostSize is a route middleware
     * here: a body's size is judged after the route (404, 405), and only on the
     * routes that read one.
     *
     * @var array<int, class-string|string>
     */
    protected $middleware = [
        \App\Http\Middleware\AssignRequestId::class,
        \App\Http\Middleware\ObserveRequest::class,
        \App\Http\Middleware\ExactRouting::class,
    ];

    /**
     * The application's route middleware groups.
     *
     * @var array<string, array<int, class-string|string>>
     */
    protected $middlewareGroups = [
        'api' => [
            \Illuminate\Routing\Middleware\SubstituteBindings::class,
        ],
    ];

    /**
     * The application's middleware aliases.
     *
     * @var array<string, class-string|string>
     */
    protected $middlewareAliases = [
        'json' => \App\Http\Middleware\EnsureJsonBody::class,
        'post.size' => \Illuminate\Foundation\Http\Middleware\ValidatePostSize::class,
    ];
}
