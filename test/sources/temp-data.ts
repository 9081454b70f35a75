import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REAL_DATA = path.join(__dirname, '..', '..', 'data');

/** A throwaway data dir: a copy of the real data/ (or empty with only settings), removed by cleanup(). */
export function tempDataDir(options: { copyReal?: boolean } = {}): { dir: string; write: (file: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sremuc-data-'));
  if (options.copyReal) cpSync(REAL_DATA, dir, { recursive: true });
  else mkdirSync(path.join(dir, 'events'));
  return {
    dir,
    write: (file, text) => {
      const full = path.join(dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
