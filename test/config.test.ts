import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment: console chat, local database, feeds on loopback', () => {
    const config = loadConfig({});
    expect(config.console).toBe(true);
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.databasePath).toBe('var/sremuc.db');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, publicUrl: 'http://127.0.0.1:8080' });
  });

  it('turns Slack on with a bot token and signing secret, and the console off', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_ANNOUNCE_CHANNELS: 'C1, C2' });
    expect(config.slack).toMatchObject({ mode: 'http', signingSecret: 's', announceChannels: ['C1', 'C2'] });
    expect(config.console).toBe(false);
  });

  it('names the missing variable when a platform is half configured', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'socket' })).toThrow(/SLACK_APP_TOKEN/);
    expect(() => loadConfig({ DISCORD_TOKEN: 't' })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
  });

  it('names the variable with a wrong value', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT/);
    expect(() => loadConfig({ SLACK_MODE: 'carrier-pigeon' })).toThrow(/SLACK_MODE/);
    expect(() => loadConfig({ BOT_TIMEZONE: 'Europe/Munich' })).toThrow(/BOT_TIMEZONE/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(ConfigError);
  });

  it('treats empty values from a copied .env.example as unset', () => {
    const example = readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    const env = Object.fromEntries(
      example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const config = loadConfig(env);
    expect(config.console).toBe(true);
    expect(config.timeZone).toBeUndefined();
  });

  it('.env.example documents every variable the bot reads', () => {
    const example = readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    const documented = new Set(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]));
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
