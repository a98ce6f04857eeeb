// Flat ESLint config: Nx module boundaries (libs import no app, framework, ORM or queue code) and typed rules.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

module.exports = [
  { ignores: ['**/dist/**', '**/node_modules/**', 'apps/console/vite.config.ts', '**/*.js', '**/*.d.ts', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // The domain (rules, types) is below the algorithms: routing may use the domain, never the reverse.
            { sourceTag: 'lib:domain', notDependOnLibsWithTags: ['lib:routing'] },
            { sourceTag: 'type:db', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:db'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:db', 'type:app'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // A `default` branch handles the rest of a union on purpose (an event type a console does not draw).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // Tests read raw JSON and SQL rows.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'socket.io'] },
      ],
    },
  },
];
