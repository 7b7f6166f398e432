// npm run lint: typescript-eslint with type information over the server, contracts, tests, bench
// and both UIs, and the React hooks rules in the UIs. Part of `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const HTTP = {
  group: ['express', '**/http/*', '**/*.middleware', '**/*.routes'],
  message: 'Services, repos and the realtime layer never speak HTTP: move the piece you need into a service (CONVENTIONS 19).',
};
const UPWARD_FROM_REPO = { group: ['**/*.service', '**/*.presenter', '**/*.routes'], message: 'A repo only runs queries: it never calls upward.' };
const REPO = { group: ['**/*.repo'], message: 'A route never reads a repo: call a service (routes → services → repos).' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
// no-restricted-imports does not see import(): the UIs load screens lazily, so the same rule for dynamic imports
const noDynamicImport = (app, message) => ({
  'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/(^|\\/)${app}\\//]`, message }],
});
function layers() {
  return [
    { files: ['server/src/**/*.routes.ts'], rules: restrict(REPO) },
    { files: ['server/src/**/*.service.ts', 'server/src/realtime/**/*.ts', 'server/src/policies/**/*.ts'], rules: restrict(HTTP) },
    { files: ['server/src/**/*.repo.ts'], rules: restrict(HTTP, UPWARD_FROM_REPO) },
    {
      files: ['kiosk-ui/**/*.{ts,tsx,mts}'],
      rules: {
        ...restrict({ group: ['**/staff-ui/**'], message: 'The kiosk never imports the staff UI: share it through ui-shared/ or contracts/.' }),
        ...noDynamicImport('staff-ui', 'The kiosk never imports the staff UI: share it through ui-shared/ or contracts/.'),
      },
    },
    {
      files: ['staff-ui/**/*.{ts,tsx,mts}'],
      rules: {
        ...restrict({ group: ['**/kiosk-ui/**'], message: 'The staff UI never imports the kiosk: share it through ui-shared/ or contracts/.' }),
        ...noDynamicImport('kiosk-ui', 'The staff UI never imports the kiosk: share it through ui-shared/ or contracts/.'),
      },
    },
    {
      files: ['ui-shared/**/*.{ts,tsx,mts}', 'contracts/**/*.ts'],
      rules: restrict({ group: ['**/kiosk-ui/**', '**/staff-ui/**', '**/server/**'], message: 'Shared code depends on no app.' }),
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'tests/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // the type-aware rules that catch real bugs in this codebase's shape (async routes, events after commit)
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false, properties: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
      // rows from the database and JSON from the wire are typed at their edges; `any` stays visible there
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'max-len': [
        'error',
        { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false },
      ],
    },
  },
  {
    files: ['kiosk-ui/src/**/*.{ts,tsx}', 'staff-ui/src/**/*.{ts,tsx}', 'ui-shared/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    // the full recommended set, compiler-era rules included (set-state-in-render, static-components, refs,
    // purity, set-state-in-effect, immutability …) for both UIs and ui-shared, none turned off; hook deps as errors
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['**/*.{js,cjs,mjs}'], languageOptions: { globals: { ...globals.node } } },
  // Layers (CONVENTIONS 19, docs/ARCHITECTURE.md): routes → services → repos, nothing below a route
  // speaks HTTP, and the two UIs share code only through ui-shared/ and contracts/.
  ...layers(),
);
