import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/log';

describe('createLogger', () => {
  it('appends JSON lines to LOG_FILE when one is given, creating its folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-log-'));
    try {
      const file = path.join(dir, 'logs', 'bot.log');
      createLogger('info', file).info({ port: 8080 }, 'first');
      createLogger('info', file).warn('second');
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.msg, l.level])).toEqual([['first', 30], ['second', 40]]);
      expect(lines[0]).toMatchObject({ app: 'sremuc-bot', port: 8080 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
