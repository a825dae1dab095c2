// Lint: typescript-eslint's recommended rules, zero warnings allowed (npm run lint).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'userland/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', 'Date', 'setTimeout', 'setInterval'],
    },
  },
  {
    // Determinism (ARCHITECTURE.md rule 1): machine/ and kernel/ take time and
    // randomness from the machine, never from the host.
    files: ['src/machine/**/*.ts', 'src/kernel/**/*.ts', 'src/base/**/*.ts', 'src/hal/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'use the machine\'s seeded generator' },
        { object: 'performance', property: 'now', message: 'use the machine clock' }],
      'no-restricted-globals': ['error', 'Date', 'setTimeout', 'setInterval', 'Promise', 'process'],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/system/**/*.ts', 'scripts/**', 'bin/**', '**/*.test.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
);
