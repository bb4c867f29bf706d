<?php

namespace App\Http\Middleware;

use App\Exceptions\ApiException;
use Closure;
use Illuminate\Http\Request;
use JsonException;
use Symfony\Component\HttpFoundation\InputBag;
use Symfony\Component\HttpFoundation\Response;

/**
 * For routes that read a JSON body (RULES.md §1–2), in the contract's order
 * (after ValidatePostSize's 413): another media type is 415; a body that is
 * not one JSON object, or is nested deeper than MAX_DEPTH, is 400; text with
 * an unpaired surrogate escape ("\ud800") is 422. The decoded body becomes
 * the request's JSON input.
 */
class EnsureJsonBody
{
    /**
     * Levels of arrays and objects a body may have, the top level being 1
     * ({"a": [1]} is 2). json_decode()'s $depth counts the values inside the
     * deepest array or object as one more level: it is given MAX_DEPTH + 1.
     */
    private const MAX_DEPTH = 100;

    public function handle(Request $request, Closure $next): Response
    {
        // Media type compared case-insensitively, parameters ignored.
        $mediaType = strtolower(trim(explode(';', (string) $request->headers->get('Content-Type'))[0]));
        if ($mediaType !== 'application/json') {
            throw ApiException::unsupportedMediaType();
        }

        $content = $request->getContent();
        try {
            $body = json_decode($content, true, self::MAX_DEPTH + 1, JSON_THROW_ON_ERROR);
        } catch (JsonException $e) {
            throw $e->getCode() === JSON_ERROR_UTF16
                ? ApiException::validationFailed('The body holds an unpaired surrogate.')
                : ApiException::badRequest("Malformed JSON: {$e->getMessage()}.");
        }

        // Decoded as arrays, {} and [] look alike: an object is what starts with "{".
        if (! is_array($body) || ! str_starts_with(ltrim($content, " \t\n\r"), '{')) {
            throw ApiException::badRequest('The body must be a JSON object.');
        }

        $request->setJson(new InputBag($body));

        return $next($request);
    }
}
