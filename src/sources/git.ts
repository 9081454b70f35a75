import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A shallow clone of the community's repository, driven through the git binary (not simple-git, which wraps
 * the same binary with more surface, nor isomorphic-git, which cannot reach `git@` remotes): clone, fetch and
 * checkout are git's own, including its ssh, credential helpers and deploy keys (GIT_SSH_COMMAND).
 */

/** One commit the bot can serve: what the logs, /healthz and the organizers' reports name. */
export interface Revision {
  sha: string;
  author: string;
  subject: string;
  /** Committer date, ISO 8601. */
  date: string;
}

export interface FileChange {
  status: 'added' | 'modified' | 'deleted';
  file: string;
}

export interface SyncResult {
  revision: Revision;
  /** The revision served before, if any. */
  previous?: Revision;
  /** Files that differ from the previous revision; undefined after a fresh clone (everything is new). */
  changes?: FileChange[];
}

export class GitError extends Error {
  override name = 'GitError';
}

export interface GitCheckoutOptions {
  url: string;
  branch: string;
  /** The bot's state folder; the clone lives under `<stateDir>/git/`. */
  stateDir: string;
  binary?: string;
  /** A clone or fetch that takes longer is a failure (a hung network must not stall following). */
  timeoutMs?: number;
}

/** `https://user:token@host/x` -> `https://***@host/x`: URLs with credentials go into logs and chat. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/** The installed git's version; a missing binary is a start-up error that says what to install. */
export async function gitVersion(binary = 'git'): Promise<string> {
  try {
    return (await run(binary, ['--version'], 10_000)).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GitError(`EVENTS_SOURCE is a git repository but the git binary ("${binary}") is not installed or not on PATH: install git (e.g. apt-get install git), or set EVENTS_SOURCE to a folder.`);
    }
    throw new GitError(`git --version failed: ${(error as Error).message}`);
  }
}

export class GitCheckout {
  /** The working tree the loader reads: always the last revision that was fetched and checked out whole. */
  readonly dir: string;
  private readonly binary: string;
  private readonly timeoutMs: number;
  private current?: Revision;

  constructor(private readonly options: GitCheckoutOptions) {
    const slug = createHash('sha256').update(`${options.url}\n${options.branch}`).digest('hex').slice(0, 12);
    this.dir = path.resolve(options.stateDir, 'git', slug);
    this.binary = options.binary ?? 'git';
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  revision(): Revision | undefined {
    return this.current;
  }

  /** The checkout left by an earlier run, if whole: served at start while the first fetch is under way or failing. */
  async existing(): Promise<Revision | undefined> {
    if (!existsSync(path.join(this.dir, '.git'))) return undefined;
    try {
      this.current = await this.describe('HEAD');
      return this.current;
    } catch {
      return undefined;
    }
  }

  /**
   * Brings the working tree to the branch's newest commit. A force-push is followed (the branch is fetched with
   * `+`, history is not needed). If fetching into the clone fails for any reason (a corrupt clone among them), a
   * fresh clone is made beside it and swapped in only when complete; if that fails too, the error is thrown and
   * the working tree is still the last good revision.
   */
  async sync(): Promise<SyncResult> {
    const previous = this.current ?? (await this.existing());
    if (previous) {
      try {
        return await this.fetch(previous);
      } catch (fetchError) {
        try {
          return await this.clone(previous);
        } catch {
          throw fetchError;
        }
      }
    }
    return this.clone(undefined);
  }

  private async fetch(previous: Revision): Promise<SyncResult> {
    const ref = `refs/remotes/origin/${this.options.branch}`;
    await this.git(['fetch', '--quiet', '--depth', '1', '--no-tags', 'origin', `+refs/heads/${this.options.branch}:${ref}`]);
    // FETCH_HEAD names what was fetched: one file read instead of one more git process per poll.
    const sha = /^([0-9a-f]{40,64})\t/.exec(readFileSync(path.join(this.dir, '.git', 'FETCH_HEAD'), 'utf8'))?.[1];
    if (!sha) throw new GitError(`git fetch gave no commit for ${this.options.branch}`);
    if (sha === previous.sha) return { revision: previous, previous, changes: [] };
    const changes = parseNameStatus(await this.git(['diff', '--name-status', '--no-renames', '-z', previous.sha, sha]));
    // --force: the working tree is ours alone, so whatever is in it gives way to the new revision.
    await this.git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--force', '--detach', sha]);
    this.current = await this.describe(sha);
    return { revision: this.current, previous, changes };
  }

  private async clone(previous: Revision | undefined): Promise<SyncResult> {
    const fresh = `${this.dir}.clone-${process.pid}`;
    rmSync(fresh, { recursive: true, force: true });
    mkdirSync(path.dirname(this.dir), { recursive: true });
    try {
      await run(this.binary, ['clone', '--quiet', '--depth', '1', '--single-branch', '--no-tags', '--branch', this.options.branch, '--', this.options.url, fresh], this.timeoutMs);
      rmSync(this.dir, { recursive: true, force: true });
      renameSync(fresh, this.dir);
    } catch (error) {
      rmSync(fresh, { recursive: true, force: true });
      throw error;
    }
    this.current = await this.describe('HEAD');
    return { revision: this.current, previous, changes: undefined };
  }

  private async describe(rev: string): Promise<Revision> {
    const [sha, author, date, subject] = (await this.git(['log', '-1', '--format=%H%x00%an%x00%cI%x00%s', rev])).trim().split('\0');
    if (!sha) throw new GitError(`git log gave no commit for ${rev}`);
    return { sha, author: author ?? '', date: date ?? '', subject: subject ?? '' };
  }

  private git(args: string[]): Promise<string> {
    return run(this.binary, ['-C', this.dir, ...args], this.timeoutMs);
  }
}

/** Runs git without a terminal: a missing credential is an error, never a prompt the bot would hang on. */
function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes', LC_ALL: 'C' };
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(error);
      const why = redactUrl(stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ') || error.message);
      reject(new GitError(`git ${verbOf(args)} failed: ${why}`));
    });
  });
}

/** `clone`, `fetch`, ...: the word after the global options, for error messages. */
function verbOf(args: string[]): string {
  let i = 0;
  while (args[i] === '-C' || args[i] === '-c') i += 2;
  return args[i] ?? '';
}

function parseNameStatus(output: string): FileChange[] {
  const parts = output.split('\0').filter(Boolean);
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i]![0];
    changes.push({ status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified', file: parts[i + 1]! });
  }
  return changes;
}
