<?php

namespace App\Console;

use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

class Kernel extends ConsoleKernel
{
    /**
     * The app has no commands of its own: artisan is here for the framework's
     * (config:cache, route:cache, route:list).
     */
    protected function commands(): void
    {
        //
    }
}
