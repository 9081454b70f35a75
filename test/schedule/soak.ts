/**
 * Soak for exactly-once delivery: `npm run soak -- --trials 200 [--seed 1]` runs that many seeded random fault
 * trials (test/schedule/faults.ts) and prints lost and duplicated posts per trial that had any, then the totals.
 * Exits 1 if anything was lost or doubled. A failing seed is reproduced with `--seed <n> --trials 1`.
 */
import { randomScenario, runTrial } from './faults';

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const trials = arg('trials', 200);
  const first = arg('seed', 1);
  let lost = 0;
  let duplicated = 0;
  let killed = 0;
  const started = performance.now();
  for (let seed = first; seed < first + trials; seed++) {
    const scenario = randomScenario(seed);
    if (scenario.killAfterCalls !== undefined) killed++;
    const result = await runTrial(scenario);
    lost += result.lost.length;
    duplicated += result.duplicated.length;
    if (result.lost.length + result.duplicated.length > 0) console.log(`seed ${seed}: ${JSON.stringify({ scenario, ...result })}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`${trials} trials (${killed} with a kill point, 4 channels each) in ${seconds} s: ${lost} lost, ${duplicated} duplicated`);
  if (lost + duplicated > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
