/**
 * One config, three builds (`vite build --mode loader|panel|console`) and the test projects.
 * - loader: `dist/widget/widget.js`, a framework-free IIFE the script tag loads (budget 4 KB gzip).
 * - panel: `dist/widget/panel.js`, the Preact chat panel as an ES module the loader imports on
 *   demand (budget 35 KB gzip).
 * - console: the agent console SPA under `dist/console`, served at `/console/`.
 * Test projects: `unit` and `e2e` (`npm test` runs both) and `pg`, which needs a PostgreSQL and a
 * Redis (`npm run test:pg`: the store and the nodes of a cluster); a bare `vitest run` runs all three.
 */
import preact from '@preact/preset-vite'
import { defineConfig, type UserConfig } from 'vite'

const widgetTarget = 'es2020'

function loader(): UserConfig {
  return {
    publicDir: false,
    build: {
      outDir: 'dist/widget',
      emptyOutDir: true,
      target: widgetTarget,
      lib: {
        entry: 'widget/loader/index.ts',
        formats: ['iife'],
        name: 'parleyLoader',
        fileName: () => 'widget.js',
      },
    },
  }
}

function panel(): UserConfig {
  return {
    publicDir: false,
    plugins: [preact()],
    build: {
      outDir: 'dist/widget',
      emptyOutDir: false,
      target: widgetTarget,
      lib: { entry: 'widget/panel/index.tsx', formats: ['es'], fileName: () => 'panel.js' },
      // Library ES builds keep whitespace by default; the panel is shipped, not re-bundled.
      rolldownOptions: { output: { codeSplitting: false, minify: true } },
    },
  }
}

function consoleApp(): UserConfig {
  return {
    root: 'relay/console',
    base: '/console/',
    publicDir: false,
    plugins: [preact()],
    build: { outDir: '../../dist/console', emptyOutDir: true, target: 'es2022' },
  }
}

export default defineConfig(({ mode }) => {
  if (mode === 'loader') return loader()
  if (mode === 'panel') return panel()
  if (mode === 'console') return consoleApp()
  return {
    plugins: [preact()],
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['{shared,relay,widget,tests}/**/*.test.{ts,tsx}'],
            // Tests that need a PostgreSQL or a Redis have their own project, `npm run test:pg`.
            exclude: ['tests/e2e/**', 'tests/pg/**', 'node_modules/**', 'relay/store/pg-store.test.ts'],
            environment: 'node',
            testTimeout: 20_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'pg',
            include: ['relay/store/pg-store.test.ts', 'tests/pg/**/*.test.ts'],
            environment: 'node',
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            include: ['tests/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 90_000,
            hookTimeout: 60_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }
})
