import path from 'node:path';
import type { Env } from './config-env';

/**
 * Where the meetups come from. A folder (the data folder unless EVENTS_SOURCE names another), or a git
 * repository cloned into the state folder and followed by polling and push webhooks.
 */
export type EventsSourceConfig =
  | { kind: 'folder'; dir: string; path: string }
  | { kind: 'git'; url: string; branch: string; path: string; pollMinutes: number; webhookSecret?: string; stateDir: string };

/** `https://`, `http://`, `file://`, `git://`, `ssh://` and scp-like `git@host:repo` are repositories; anything else is a folder. */
export const GIT_URL = /^(?:(?:https?|file|git|ssh):\/\/|[\w.-]+@[\w.-]+:)/i;

/**
 * EVENTS_PATH defaults to `events` in the data folder (today's layout) and to Hugo's `content/events` in a
 * website's folder or repository. The clone lives beside the database (the bot's state folder).
 */
export function eventsSource(e: Env, problems: string[]): EventsSourceConfig {
  const relative = (p: string) => p.replace(/^\/+|\/+$/g, '');
  if (e.EVENTS_PATH !== undefined && (e.EVENTS_PATH.split('/').includes('..') || e.EVENTS_PATH.startsWith('/'))) {
    problems.push(`EVENTS_PATH: "${e.EVENTS_PATH}" must be a folder inside EVENTS_SOURCE, e.g. content/events`);
  }
  if (!e.EVENTS_SOURCE) return { kind: 'folder', dir: e.DATA_DIR, path: relative(e.EVENTS_PATH ?? 'events') };
  if (!GIT_URL.test(e.EVENTS_SOURCE)) return { kind: 'folder', dir: e.EVENTS_SOURCE, path: relative(e.EVENTS_PATH ?? 'content/events') };
  if (/^\w+:\/\/[^/@]*:[^/@]*@/.test(e.EVENTS_SOURCE) && !e.EVENTS_SOURCE.startsWith('https://')) {
    problems.push('EVENTS_SOURCE: credentials in the URL are only sent over https://');
  }
  return {
    kind: 'git',
    url: e.EVENTS_SOURCE,
    branch: e.EVENTS_BRANCH,
    path: relative(e.EVENTS_PATH ?? 'content/events'),
    pollMinutes: e.EVENTS_POLL_MINUTES,
    webhookSecret: e.WEBHOOK_SECRET,
    stateDir: e.DATABASE_PATH === ':memory:' ? 'var' : path.dirname(e.DATABASE_PATH),
  };
}
