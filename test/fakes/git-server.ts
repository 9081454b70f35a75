import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real git server on loopback: `git http-backend` (git's own smart-HTTP server, as a CGI program) behind a
 * small node:http server, serving bare repositories from a temp folder. Tests commit in a working clone and push
 * to the bare repository; the bot clones and fetches over http://127.0.0.1. `failing` answers 503 to every
 * request, as a forge or a network that is down.
 */
export class GitServer {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'sremuc-git-'));
  failing = false;
  requests = 0;
  private server?: Server;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests++;
      if (this.failing) return void res.writeHead(503).end('down for the test\n');
      const url = new URL(req.url ?? '/', 'http://x');
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH,
          GIT_PROJECT_ROOT: path.join(this.root, 'srv'),
          GIT_HTTP_EXPORT_ALL: '1',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          REQUEST_METHOD: req.method ?? 'GET',
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
          GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
          REMOTE_ADDR: '127.0.0.1',
        },
      });
      req.pipe(cgi.stdin);
      const chunks: Buffer[] = [];
      cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      cgi.on('close', () => {
        const out = Buffer.concat(chunks);
        const split = out.indexOf('\r\n\r\n');
        const head = out.subarray(0, split).toString('latin1').split('\r\n');
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head) {
          const [name, ...rest] = line.split(':');
          const value = rest.join(':').trim();
          if (name!.toLowerCase() === 'status') status = Number.parseInt(value, 10);
          else if (name) headers[name] = value;
        }
        res.writeHead(status, headers).end(out.subarray(split + 4));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  /** A new bare repository `<name>.git` with a working clone to commit in. */
  repository(name: string, branch = 'main'): TestRepository {
    const bare = path.join(this.root, 'srv', `${name}.git`);
    mkdirSync(bare, { recursive: true });
    git(bare, 'init', '--quiet', '--bare', `--initial-branch=${branch}`);
    const work = path.join(this.root, 'work', name);
    mkdirSync(work, { recursive: true });
    git(work, 'init', '--quiet', `--initial-branch=${branch}`);
    git(work, 'remote', 'add', 'origin', bare);
    const port = (this.server!.address() as AddressInfo).port;
    return new TestRepository(work, branch, `http://127.0.0.1:${port}/${name}.git`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export class TestRepository {
  constructor(
    readonly work: string,
    readonly branch: string,
    /** What EVENTS_SOURCE points at. */
    readonly url: string,
  ) {}

  write(file: string, text: string | Buffer): this {
    const full = path.join(this.work, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return this;
  }

  remove(file: string): this {
    git(this.work, 'rm', '--quiet', '-r', file);
    return this;
  }

  /** Commits everything as `author` and pushes (with --force after an amend); returns the new commit's sha. */
  commit(subject: string, author = 'Ada Organizer', options: { amend?: boolean; branch?: string } = {}): string {
    git(this.work, 'add', '-A');
    git(this.work, '-c', `user.name=${author}`, '-c', 'user.email=ada@example.org', 'commit', '--quiet', '--allow-empty', ...(options.amend ? ['--amend', '--reset-author'] : []), '-m', subject);
    git(this.work, 'push', '--quiet', ...(options.amend ? ['--force'] : []), 'origin', `HEAD:refs/heads/${options.branch ?? this.branch}`);
    return git(this.work, 'rev-parse', 'HEAD').trim();
  }
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}
