import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/helpers/built.ts, under jest and in dist/ alike). */
export const ROOT = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []));

/**
 * The compiled form of a source file, as `npm start` and the other scripts run it: `src/cli/validate.ts` ->
 * `<root>/dist/src/cli/validate.js`. `npm test` builds dist/ before jest runs; a missing or build older than a source
 * fails the test that needs it, with what to do, instead of silently running yesterday's code.
 */
export function built(source: string): string {
  const compiled = path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) throw new Error(`${path.relative(ROOT, compiled)} is missing: run \`npm run build\` (npm test does it first)`);
  const stale = newerThan(statSync(path.join(ROOT, 'dist', '.tsbuildinfo')).mtimeMs);
  if (stale) throw new Error(`dist/ is older than ${stale}: run \`npm run build\` (npm test does it first)`);
  return compiled;
}

/** A TypeScript source changed after the last build, if any. */
function newerThan(builtAt: number): string | undefined {
  for (const top of ['src', 'commands', 'test', 'bench']) {
    for (const entry of readdirSync(path.join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (statSync(file).mtimeMs > builtAt) return path.relative(ROOT, file);
    }
  }
  return undefined;
}

/** A script exactly as package.json has it (what `npm run <name>` runs after its pre-script). */
export function npmScript(name: string): string {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (!script) throw new Error(`package.json has no "${name}" script`);
  return script;
}
