<?php

namespace App\Providers;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Http\Resources\Json\JsonResource;
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
    }
}
