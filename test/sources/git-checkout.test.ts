import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitCheckout, gitVersion, redactUrl } from '../../src/sources/git';
import { GitServer, type TestRepository } from '../fakes/git-server';
import { IMAGE, post, SECTION_INDEX } from './git-posts';

// Every step spawns git processes; on a loaded 2-core CI machine one commit-push-fetch round takes seconds.
jest.setTimeout(180_000);

describe('GitCheckout against a real git server on loopback', () => {
  let server: GitServer;
  let repo: TestRepository;
  let state: string;
  beforeAll(async () => {
    server = new GitServer();
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    repo = server.repository(`site-${Math.random().toString(36).slice(2, 8)}`);
    state = mkdtempSync(path.join(os.tmpdir(), 'sremuc-state-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('clones shallowly, follows pushes and force-pushes, and names the files each revision changed', async () => {
    const first = repo.write('content/events/_index.md', SECTION_INDEX).write('content/events/spring-2026.md', post('Spring 2026', '2026-04-14T18:30')).commit('Spring meetup');
    const checkout = new GitCheckout({ url: repo.url, branch: 'main', stateDir: state });
    const cloned = await checkout.sync();
    expect(cloned).toMatchObject({ revision: { sha: first, author: 'Ada Organizer', subject: 'Spring meetup' }, changes: undefined });
    expect(readdirSync(path.join(checkout.dir, 'content/events')).sort()).toEqual(['_index.md', 'spring-2026.md']);

    expect(await checkout.sync()).toMatchObject({ revision: { sha: first }, changes: [] });

    const second = repo.write('content/events/summer-2026/index.md', post('Summer 2026', '2026-07-08T18:30')).write('content/events/summer-2026/venue.png', IMAGE).remove('content/events/spring-2026.md').commit('Summer bundle');
    const followed = await checkout.sync();
    expect(followed.revision.sha).toBe(second);
    expect(followed.previous?.sha).toBe(first);
    expect(followed.changes).toEqual([
      { status: 'deleted', file: 'content/events/spring-2026.md' },
      { status: 'added', file: 'content/events/summer-2026/index.md' },
      { status: 'added', file: 'content/events/summer-2026/venue.png' },
    ]);

    // The organizer rewrites the last commit and force-pushes: the branch's new tip is served.
    const rewritten = repo.write('content/events/summer-2026/index.md', post('Summer 2026 at Celonis', '2026-07-08T18:30')).commit('Summer bundle, fixed', 'Grace Hopper', { amend: true });
    const forced = await checkout.sync();
    expect(forced.revision).toMatchObject({ sha: rewritten, author: 'Grace Hopper' });
    expect(forced.changes).toEqual([{ status: 'modified', file: 'content/events/summer-2026/index.md' }]);
  });

  it('keeps the last good working tree when fetching fails, and re-clones a corrupt clone', async () => {
    const first = repo.write('content/events/a.md', post('A', '2026-04-14T18:30')).commit('A');
    const checkout = new GitCheckout({ url: repo.url, branch: 'main', stateDir: state });
    await checkout.sync();
    repo.write('content/events/b.md', post('B', '2026-05-14T18:30')).commit('B');

    server.failing = true;
    await expect(checkout.sync()).rejects.toThrow(/git fetch failed: .*503/);
    expect(checkout.revision()?.sha).toBe(first);
    expect(readdirSync(path.join(checkout.dir, 'content/events'))).toEqual(['a.md']);
    server.failing = false;

    // A clone whose objects were damaged (disk trouble, an interrupted gc): fetching fails, a fresh clone serves.
    const objects = path.join(checkout.dir, '.git', 'objects');
    for (const dir of readdirSync(objects)) if (/^[0-9a-f]{2}$|^pack$/.test(dir)) rmSync(path.join(objects, dir), { recursive: true });
    writeFileSync(path.join(checkout.dir, '.git', 'shallow'), 'not a sha\n');
    const healed = await checkout.sync();
    expect(healed.changes).toBeUndefined();
    expect(readdirSync(path.join(checkout.dir, 'content/events')).sort()).toEqual(['a.md', 'b.md']);
  });

  it('follows only the configured branch and says which branch does not exist', async () => {
    repo.write('content/events/a.md', post('A', '2026-04-14T18:30')).commit('A');
    repo.write('content/events/draft.md', post('Draft', '2026-06-14T18:30')).commit('on a branch', 'Ada Organizer', { branch: 'preview' });
    const checkout = new GitCheckout({ url: repo.url, branch: 'main', stateDir: state });
    await checkout.sync();
    expect(readdirSync(path.join(checkout.dir, 'content/events')).sort()).toEqual(['a.md']);
    const missing = new GitCheckout({ url: repo.url, branch: 'nope', stateDir: state });
    await expect(missing.sync()).rejects.toThrow(/git clone failed: .*nope/);
  });

  it('says plainly when the git binary is missing, and never logs credentials', async () => {
    await expect(gitVersion('/nonexistent/git')).rejects.toThrow(/git binary .* is not installed .*EVENTS_SOURCE/);
    expect(await gitVersion()).toMatch(/^git version \d/);
    expect(redactUrl('https://x-access-token:ghp_secret@github.com/sremuc/site.git')).toBe('https://***@github.com/sremuc/site.git');
    expect(redactUrl('git@github.com:sremuc/site.git')).toBe('git@github.com:sremuc/site.git');
  });
});
