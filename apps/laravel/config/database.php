<?php

return [

    'default' => 'pgsql',

    /*
    |--------------------------------------------------------------------------
    | Database Connections
    |--------------------------------------------------------------------------
    |
    | DATABASE_URL (postgres://user:pass@host:port/db) fills in the rest. The
    | schema is datasets/schema.sql: this app never migrates it.
    |
    | Each PHP-FPM child serves one request at a time and holds at most one
    | connection, kept open between requests (PDO persistent connections), so
    | the app holds at most as many connections as it has children. Connections
    | open lazily: the app starts while the database is still down, and
    | /health answers 503 until it is up (ATTR_TIMEOUT is libpq's
    | connect_timeout, in seconds).
    |
    */

    'connections' => [

        'pgsql' => [
            'driver' => 'pgsql',
            'url' => env('DATABASE_URL'),
            'charset' => 'utf8',
            'prefix' => '',
            'prefix_indexes' => true,
            'options' => [
                PDO::ATTR_PERSISTENT => true,
                PDO::ATTR_TIMEOUT => 2,
            ],
        ],

    ],

    'migrations' => 'migrations',

];
