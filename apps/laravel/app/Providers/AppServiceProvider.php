<?php

namespace App\Providers;

use App\Metrics\Registry;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Http\Resources\Json\JsonResource;
use Illuminate\Database\Events\QueryExecuted;
use Illuminate\Support\Facades\Event;
use Illuminate\Support\ServiceProvider;

class AppServiceProvider extends ServiceProvider
{
    /**
     * Bootstrap any application services.
     */
    public function boot(): void
    {
        // The contract's bodies are the resources themselves, not {"data": ...}.
        JsonResource::withoutWrapping();

        Model::shouldBeStrict(! $this->app->isProduction());

        // A child that has run a query holds its persistent connection (the pool gauges of /metrics).
        Event::listen(QueryExecuted::class, fn () => Registry::queried());
    }
}
