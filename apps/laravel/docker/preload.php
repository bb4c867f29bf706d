<?php

/*
|--------------------------------------------------------------------------
| OPcache Preloading
|--------------------------------------------------------------------------
|
| Run once by the PHP-FPM master (opcache.preload in docker/php.ini): every
| class it loads stays compiled and linked in shared memory for every request,
| so a request no longer finds and links the framework's classes one by one
| through the autoloaders. It loads the app's classes and those of the
| framework components a request of this API uses, through the autoloader, so
| parents and interfaces come first. A class that needs a library Debian did
| not install (an optional integration) is skipped.
|
*/

require __DIR__.'/../vendor/autoload.php';

$roots = [
    __DIR__.'/../app',
    '/usr/share/php/Illuminate/Collections',
    '/usr/share/php/Illuminate/Conditionable',
    '/usr/share/php/Illuminate/Config',
    '/usr/share/php/Illuminate/Container',
    '/usr/share/php/Illuminate/Contracts',
    '/usr/share/php/Illuminate/Database',
    '/usr/share/php/Illuminate/Events',
    '/usr/share/php/Illuminate/Filesystem',
    '/usr/share/php/Illuminate/Foundation',
    '/usr/share/php/Illuminate/Http',
    '/usr/share/php/Illuminate/Log',
    '/usr/share/php/Illuminate/Macroable',
    '/usr/share/php/Illuminate/Pipeline',
    '/usr/share/php/Illuminate/Routing',
    '/usr/share/php/Illuminate/Support',
    '/usr/share/php/Illuminate/Translation',
    '/usr/share/php/Illuminate/Validation',
    '/usr/share/php/Illuminate/View',
    '/usr/share/php/Symfony/Component/HttpFoundation',
    '/usr/share/php/Symfony/Component/HttpKernel',
    '/usr/share/php/Symfony/Component/Routing',
    '/usr/share/php/Monolog',
    '/usr/share/php/Psr',
];
// Tooling a request never touches, and integrations with libraries Debian did not install.
$skip = '#/(Testing|Test|Console|Migrations|Seeder|Schema|Capsule|DBAL|Database/PDO|DependencyInjection'
    .'|HttpFoundation/Session|HttpKernel/(Bundle|Config|HttpKernelBrowser)|Routing/Loader'
    .'|Routing/Matcher/ExpressionLanguageProvider)\b#';

foreach ($roots as $root) {
    $files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS));
    foreach ($files as $file) {
        $path = $file->getPathname();
        if ($file->getExtension() !== 'php' || preg_match($skip, $path)) {
            continue;
        }
        $source = file_get_contents($path);
        if (! preg_match('/^namespace\s+([^;]+);/m', $source, $namespace)
            || ! preg_match('/^(?:(?:final|abstract|readonly)\s+)*(?:class|interface|trait|enum)\s+(\w+)/m', $source, $class)) {
            continue;
        }
        $name = $namespace[1].'\\'.$class[1];
        try {
            class_exists($name) || interface_exists($name) || trait_exists($name) || enum_exists($name);
        } catch (Throwable) {
            // needs a class that is not installed
        }
    }
}
