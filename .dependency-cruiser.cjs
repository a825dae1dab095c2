/** Layer rules of ../shared/ARCHITECTURE.md. Do not relax these rules. */
const layer = (from, allowed) => ({
  name: `${from}-imports-only-${allowed.join('-') || 'nothing'}`,
  severity: 'error',
  comment: `src/${from} may import only ${allowed.map((a) => 'src/' + a).join(', ') || 'nothing outside itself'}`,
  from: { path: `^src/${from}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}/`)],
  },
});

module.exports = {
  forbidden: [
    layer('base', []),
    layer('hal', ['base']),
    layer('machine', ['hal', 'base']),
    layer('kernel', ['hal', 'base']),
    layer('system', ['machine', 'kernel', 'hal', 'base']),
    layer('cli', ['system', 'hal', 'base']),
    layer('web', ['system', 'hal', 'base']),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make layers meaningless. Type-only imports vanish at run time and may form cycles (a handler type naming the core that runs it).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-has-no-node',
      severity: 'error',
      comment: 'base, hal, machine and kernel run in the browser too: no Node built-ins.',
      from: { path: '^src/(base|hal|machine|kernel)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'kernel-subsystems-through-index',
      severity: 'error',
      comment: 'Inside kernel/, another subsystem is imported through its index.ts.',
      from: { path: '^src/kernel/([^/]+)/' },
      to: { path: '^src/kernel/([^/]+)/.+', pathNot: ['^src/kernel/$1/', '^src/kernel/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
