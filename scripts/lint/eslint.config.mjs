// ESLint's flat config for the Node apps, used by scripts/lint-apps. It lives beside the pinned tool
// versions (package.json here), not in the apps: the script copies both into its tool folder so the
// imports below resolve there, and runs ESLint from the repository root, so paths are relative to it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/']),
  {
    // Express: plain ES modules on Node.js, ESLint's recommended rules.
    files: ['apps/express/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.node },
  },
  {
    // NestJS: TypeScript, typescript-eslint's recommended rules (syntax only: the type-checked set
    // would need the app's own node_modules; `tsc` in the image build type-checks already).
    files: ['apps/nestjs/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // Hono on Bun: TypeScript that Bun runs as is; the same rules, with Bun's global.
    files: ['apps/hono-bun/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node, Bun: 'readonly' } },
  },
);
