import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Runs every benchmark (bench/*.bench.ts, compiled to dist/bench by `npm run bench`'s pre-script) in its own process (so one benchmark's heap and sockets never skew another) and
 * lets each print its own result lines, a ratio against a baseline measured in the same run.
 * `npm run bench -- feeds` runs only benchmarks whose file name contains "feeds".
 */
const filter = process.argv[2] ?? '';
const files = readdirSync(__dirname).filter((f) => /\.bench\.(js|ts)$/.test(f) && f.includes(filter)).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  // Plain node on the compiled file, the way npm start runs the bot.
  const result = spawnSync(process.execPath, [path.join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} benchmark(s) failed to run`);
  process.exit(1);
}
