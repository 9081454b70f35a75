import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sremuc-communities-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function community(slug: string, settings: string[]): void {
  mkdirSync(path.join(root, slug, 'events'), { recursive: true });
  writeFileSync(path.join(root, slug, 'settings.yml'), settings.join('\n'));
}

function problems(): string {
  try {
    loadConfig({ COMMUNITIES_DIR: root, DATABASE_PATH: ':memory:' });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('COMMUNITIES_DIR', () => {
  it('reads one community per folder with the chat it belongs to', () => {
    community('sre-munich', ['name: SRE Munich', 'slack: { team: T0MUC, announce: [C0MUC], organizerUsers: [U0ANNA] }']);
    community('k8s-berlin', ['name: Kubernetes Berlin', 'discord:', '  guild: "1200000000000000002"', '  announce: ["1300000000000000002"]', '  organizerRole: "1500000000000000002"']);
    const config = loadConfig({ COMMUNITIES_DIR: root, DATABASE_PATH: ':memory:' });
    expect(config.communities).toEqual([
      { slug: 'k8s-berlin', dataDir: path.join(root, 'k8s-berlin'), events: { kind: 'folder', dir: path.join(root, 'k8s-berlin'), path: 'events' }, discord: { guild: '1200000000000000002', announce: ['1300000000000000002'], organizerRole: '1500000000000000002', channels: [] } },
      { slug: 'sre-munich', dataDir: path.join(root, 'sre-munich'), events: { kind: 'folder', dir: path.join(root, 'sre-munich'), path: 'events' }, slack: { team: 'T0MUC', announce: ['C0MUC'], organizerUsers: ['U0ANNA'], channels: [] } },
    ]);
  });

  it('names the file and line of a broken chat block, and asks for quotes around a Discord id YAML would round', () => {
    community('sre-munich', ['name: SRE Munich', 'discord:', '  guild: 1200000000000000001', '  announce: ["1300000000000000001"]', '  anounce: []']);
    const message = problems();
    const file = path.join(root, 'sre-munich', 'settings.yml');
    expect(message).toContain(`COMMUNITIES_DIR: ${file}:3: error: \`discord.guild\`: should be text, not a number`);
    expect(message).toMatch(new RegExp(`COMMUNITIES_DIR: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5: error: Unknown key \`anounce\``));
  });

  it('refuses a server or channel claimed by two communities, a shared workspace without channels, and folder names that are no URL', () => {
    community('a', ['name: A', 'discord: { guild: "1", announce: ["11"] }', 'slack: { team: T1 }']);
    community('b', ['name: B', 'discord: { guild: "1", announce: ["11"] }', 'slack: { team: T1, announce: [C2] }']);
    community('Bad_Name', ['name: Bad']);
    const message = problems();
    expect(message).toContain('COMMUNITIES_DIR: Discord server 1 is claimed by both a and b');
    expect(message).toContain('COMMUNITIES_DIR: Discord channel 11 is claimed by both a and b');
    expect(message).toContain('COMMUNITIES_DIR: Slack workspace T1 is shared by a, b: each of them needs its channels');
    expect(message).toContain(`COMMUNITIES_DIR: ${path.join(root, 'Bad_Name')}: a community's folder name is its URL`);
  });

  it("follows a community's website repository, and refuses one that is no git URL", () => {
    community('k8s-berlin', ['name: Kubernetes Berlin', 'repository: { url: "https://git.example.org/k8s/website.git" }']);
    const config = loadConfig({ COMMUNITIES_DIR: root, DATABASE_PATH: path.join(root, 'var', 'bot.db'), EVENTS_POLL_MINUTES: '2' });
    expect(config.communities?.[0]?.events).toEqual({ kind: 'git', url: 'https://git.example.org/k8s/website.git', branch: 'main', path: 'content/events', pollMinutes: 2, webhookSecret: undefined, stateDir: path.join(root, 'var', 'communities', 'k8s-berlin') });
    community('k8s-berlin', ['name: Kubernetes Berlin', 'repository: { url: "website", path: ../elsewhere }']);
    expect(problems()).toContain('repository.url "website" is not a git URL');
    expect(problems()).toContain('repository.path "../elsewhere" must be a folder inside the repository');
  });

  it('is a folder of community folders', () => {
    expect(problems()).toContain('has no community folders');
    rmSync(root, { recursive: true });
    expect(problems()).toContain(`COMMUNITIES_DIR: ${root} is not a folder`);
  });
});
