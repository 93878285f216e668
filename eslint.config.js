import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'scripts/*.mjs', 'web/dist/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // Imports run one way (DESIGN.md, Architecture): api and workflows call activities or db;
  // activities call core, db and the carrier clients; core calls nothing. Each rule below is
  // an allow-list or a ban with its reason; a wrong import fails `npm run check`.
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|zod$|libphonenumber-js(/.*)?$|node:crypto$)',
              message:
                'core/ is pure domain logic: it imports only core/, zod, libphonenumber-js and node:crypto (hashing, not I/O); whatever does I/O loads the data and passes it in.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'process',
          message: 'core/ reads no environment or process state: take it as a parameter.',
        },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|\\.\\./core/|\\.\\./migrations/|kysely$|pg$|pg-copy-streams$)',
              message:
                'db/ only turns core/ into SQL: it imports db/, core/, migrations/ (the schema it migrates), kysely and pg; never workflows, activities, api, config or scripts.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'No environment reads under db/: callers pass what they need from their config.',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../activities/*'],
              allowTypeImports: true,
              message:
                'Workflows do no I/O: import activities as types only (proxyActivities<ReturnType<typeof createActivities>>).',
            },
            {
              regex: '^(?!\\./|\\.\\./core/|\\.\\./activities/|@temporalio/workflow$)',
              message:
                'Workflows are deterministic and do no I/O: they import only workflows/, core/ (shared contracts), @temporalio/workflow, and activities as types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@temporalio/workflow',
              message:
                'Activities run outside the workflow sandbox: use @temporalio/activity (or @temporalio/common).',
            },
          ],
          patterns: [
            {
              regex: '^(\\.\\./)+workflows/',
              message:
                'Workflows import activities, not the other way round: contracts they share live in core/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/**/*.ts', 'worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+scripts/',
              message:
                'scripts/ is setup tooling: the API and the worker never depend on it (runtime settings live in config/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(core|db|activities|api|workflows|worker|scripts)/',
              message:
                "The sandbox implements the carriers' documents on its own, so it catches tandem's mistakes instead of sharing them: no tandem code (config/ only, for the settings both read).",
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time and typed Kysely<any>: they never import app types.
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
