/**
 * `npm start` as a member of the team runs it on a fresh clone: no .env, no credentials. Spawns the real entry
 * point, so it also checks that start-up needs nothing but the repository.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'sremuc-main-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Only what a shell on a fresh machine has: no Slack or Discord variables. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: path.join(workDir, 'bot.db'), HTTP_PORT: '0', ...extra };
}

function run(env: NodeJS.ProcessEnv, stdin: string, until: (stdout: string) => boolean) {
  // Exactly what the start script in package.json runs.
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'src/main.ts'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (until(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('npm start with no credentials', () => {
  it('runs on the console chat and answers /agenda with the latest meetup', async () => {
    const result = await run(bareEnv({}), '/agenda\n', (out) => out.includes('#sremuc'));
    expect(result.stdout).toContain('sremuc-bot console');
    // No meetup is scheduled in the shipped data (the last post is from September 2024).
    expect(result.stdout).toContain('SRE Munich at nordcloud 2024');
    expect(result.stdout).toMatch(/19:05\s+OpenTelemetry in Kubernetes/);
    expect(result.stderr).toContain('sremuc-bot ready');
    expect(result.code).toBe(0);
  });

  it('stops with a message naming the variable when one is wrong', async () => {
    const result = await run(bareEnv({ HTTP_PORT: 'eighty' }), '', () => false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HTTP_PORT');
    expect(result.stdout).toBe('');
  });
});
