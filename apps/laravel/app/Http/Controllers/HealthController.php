<?php

namespace App\Http\Controllers;

use Illuminate\Http\JsonResponse;
use Illuminate\Support\Facades\DB;

class HealthController extends Controller
{
    /**
     * GET /health: 200 only when the database answers (RULES.md §7); when it
     * does not, the exception handler answers 503.
     */
    public function __invoke(): JsonResponse
    {
        DB::select('SELECT 1');

        return response()->json(['status' => 'ok']);
    }
}
