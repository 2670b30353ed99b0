import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'examples/**', '.data/**', '**/*.mjs', 'eslint.config.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Layers point one way: packages are the core and never reach up into an app. Their tests may
    // start an app that stands in for an outside service (the Tech5 simulator), and the client's
    // one type-only bridge reads the server's router types, which its build writes out whole.
    files: ['packages/**/*.ts'],
    ignores: ['packages/**/*.test.ts', 'packages/client/src/serverTypes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@nexus/(server|web|tech5-sim)(/|$)|(^|/)apps/',
              message: 'packages may not import from apps: move the shared part into a package',
            },
          ],
        },
      ],
    },
  },
  {
    // The matching model is the pure core: normalise, block, compare, decide, learn. It knows no
    // database, bus or actor, so it may import the schema and nothing else of ours.
    files: ['packages/matching/**/*.ts'],
    ignores: ['packages/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@nexus/(actors|client|server|web|tech5-sim)(/|$)|(^|/)(apps|actors)/',
              message:
                'the matching model imports only @nexus/schema: pass what it needs in (see identifierBlinding.ts)',
            },
          ],
        },
      ],
    },
  },
  {
    // A `!` claims a value is there and, when it is not, fails far from the cause with "cannot
    // read properties of undefined". Source narrows or throws an error that names what was
    // missing. Tests may assert (a wrong guess fails the test at once). Every source folder.
    files: [
      'packages/**/*.ts',
      'apps/web/src/**/*.{ts,tsx}',
      'apps/server/src/**/*.ts',
      'apps/tech5-sim/src/**/*.ts',
      'bench/**/*.ts',
    ],
    ignores: [
      'packages/**/*.test.ts',
      'apps/web/src/**/*.test.{ts,tsx}',
      'apps/server/src/**/*.test.ts',
      'apps/tech5-sim/src/**/*.test.ts',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  {
    // A feature calls another feature's services, never its router: routers are adapters, mounted
    // only by the tRPC app router.
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/trpc/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!trpc/)[^/]+/[^/]*Router$',
              message:
                "import the feature's service, not its router (routers are mounted in trpc/appRouter.ts)",
            },
          ],
        },
      ],
    },
  },
);
