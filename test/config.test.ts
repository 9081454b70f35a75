import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { CONFIG_VARIABLES } from '../src/config-env';
import { unknownVariableWarnings } from '../src/config-warnings';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment: console chat, local database, feeds on loopback', () => {
    const config = loadConfig({});
    expect(config.console).toBe(true);
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.databasePath).toBe('var/sremuc.db');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, publicUrl: 'http://127.0.0.1:8080' });
    expect(config.logFile).toBeUndefined();
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
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@db/x' })).toThrow(/^Invalid configuration:\n  DATABASE_URL: must be a PostgreSQL URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@db/x' })).not.toThrow(/secret/);
    expect(loadConfig({ DATABASE_URL: 'postgres://sremuc:secret@db.example:5432/sremuc' }).databaseUrl).toBe('postgres://sremuc:secret@db.example:5432/sremuc');
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

  it('takes the Discord public key for HTTP interactions, and refuses one that is not 32 bytes of hex', () => {
    const key = 'a'.repeat(64);
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_PUBLIC_KEY: key }).discord?.publicKey).toBe(key);
    expect(() => loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_PUBLIC_KEY: 'abc' })).toThrow(/DISCORD_PUBLIC_KEY: must be the 64 hex characters/);
    expect(() => loadConfig({ DISCORD_PUBLIC_KEY: key })).toThrow(/DISCORD_TOKEN: required when DISCORD_PUBLIC_KEY is set/);
  });

  it('turns on Slack installs into many workspaces with SLACK_CLIENT_ID, the redirect URL on PUBLIC_URL', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const oauth = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'ss', SLACK_TOKEN_ENCRYPTION_KEY: key, SLACK_SIGNING_SECRET: 's' };
    const config = loadConfig({ ...oauth, PUBLIC_URL: 'https://bot.example/' });
    expect(config.slack?.botToken).toBeUndefined();
    expect(config.slack?.oauth).toEqual({ clientId: '1.2', clientSecret: 'cs', stateSecret: 'ss', encryptionKey: key, redirectUri: 'https://bot.example/slack/oauth_redirect' });
    expect(config.console).toBe(false);

    const problem = (env: Record<string, string>) => () => loadConfig(env);
    expect(problem({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID/);
    expect(problem({ ...oauth, SLACK_MODE: 'socket' })).toThrow(/SLACK_MODE: must be http with SLACK_CLIENT_ID/);
    expect(problem({ ...oauth, SLACK_TOKEN_ENCRYPTION_KEY: 'short' })).toThrow(/SLACK_TOKEN_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(problem({ ...oauth, SLACK_TOKEN_ENCRYPTION_KEY: 'short' })).not.toThrow(/short/);
    expect(problem({ ...oauth, SLACK_ORGANIZER_USERGROUP: 'S1' })).toThrow(/SLACK_ORGANIZER_USERGROUP: with SLACK_CLIENT_ID write it as <team id>\/<group id>/);
    for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY', 'SLACK_SIGNING_SECRET']) {
      expect(problem({ ...oauth, [name]: '' })).toThrow(new RegExp(`${name}: required when SLACK_CLIENT_ID is set`));
    }
    expect(problem({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_STATE_SECRET: 'ss' })).toThrow(/SLACK_CLIENT_ID: required when SLACK_STATE_SECRET is set/);
  });

  it('refuses each bad value naming its variable (and the value, unless it is a secret)', () => {
    const refused = (env: Record<string, string>, variable: string) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}: `));
    };
    refused({ SCHEDULE_CRON: 'bad' }, 'SCHEDULE_CRON');
    refused({ SCHEDULE_CRON: '61 * * * *' }, 'SCHEDULE_CRON');
    refused({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'ftp://slack.example/api/' }, 'SLACK_API_URL');
    refused({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_API_URL: 'javascript:alert(1)' }, 'DISCORD_API_URL');
    refused({ PUBLIC_URL: 'file:///etc/passwd' }, 'PUBLIC_URL');
    refused({ DATA_DIR: '/no/such/folder' }, 'DATA_DIR');
    refused({ DATA_DIR: __filename }, 'DATA_DIR');
    expect(() => loadConfig({ SCHEDULE_CRON: 'bad' })).toThrow('(got "bad")');
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret', SLACK_MODE: 'x' })).not.toThrow(/xoxb-secret/);
  });

  it('accepts a valid cron expression and web URLs', () => {
    const config = loadConfig({ SCHEDULE_CRON: '*/5 * * * *', PUBLIC_URL: 'https://bot.muc.sre.xyz/', LOG_FILE: '/tmp/bot.log' });
    expect(config.schedule.cron).toBe('*/5 * * * *');
    expect(config.http.publicUrl).toBe('https://bot.muc.sre.xyz');
    expect(config.logFile).toBe('/tmp/bot.log');
  });
});

describe('unknownVariableWarnings', () => {
  it('warns about a misspelt variable with the name it was probably meant to be', () => {
    expect(unknownVariableWarnings({ SLACK_BOT_TOKN: 'xoxb-1', DISCORD_GILD_ID: '1', LOG_LEVL: 'debug' })).toEqual([
      'DISCORD_GILD_ID is not a variable sremuc-bot reads: did you mean DISCORD_GUILD_ID?',
      'LOG_LEVL is not a variable sremuc-bot reads: did you mean LOG_LEVEL?',
      'SLACK_BOT_TOKN is not a variable sremuc-bot reads: did you mean SLACK_BOT_TOKEN?',
    ]);
  });

  it('names an unknown SLACK_ or DISCORD_ variable, and leaves the rest of the environment alone', () => {
    expect(unknownVariableWarnings({ SLACK_WEBHOOK_URL: 'x', PATH: '/usr/bin', HOME: '/root', HOSTNAME: 'h', SLACK_BOT_TOKEN: 'xoxb' })).toEqual([
      'SLACK_WEBHOOK_URL is not a variable sremuc-bot reads; see .env.example for the ones it does',
    ]);
  });
});
