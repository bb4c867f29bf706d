<?php

return [

    /*
    |--------------------------------------------------------------------------
    | View Storage Paths
    |--------------------------------------------------------------------------
    |
    | The app renders no views (every response is JSON); the view factory is
    | there for the response factory.
    |
    */

    'paths' => [
        resource_path('views'),
    ],

    'compiled' => storage_path('framework/views'),

];
