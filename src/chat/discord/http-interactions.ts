import type { KeyObject } from 'node:crypto';
import type { Client } from 'discord.js';
import type { Logger } from '../../log';
import { plain, type Route } from '../../http/server';
import { readRawBody } from '../../http/body';
import { interactionRefusal } from './interaction-signature';

/** Discord's interaction payloads are a few KB; an option value is at most 6,000 characters. */
const MAX_BODY = 256 * 1024;
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';
const PING = 1;

export interface InteractionsRouteOptions {
  client: Client;
  publicKey: KeyObject;
  /** Signatures already accepted, shared by every process on the database, so a replay is refused. */
  seen: { firstTime(signature: string, timestampSec: number, nowSec?: number): boolean | Promise<boolean> };
  log: Logger;
}

/** The part of discord.js that turns a raw INTERACTION_CREATE payload into an Interaction and emits it. */
interface InteractionCreateAction {
  handle(data: unknown): void;
}

/**
 * POST /discord/interactions: Discord's Interactions Endpoint URL, the HTTP alternative to the gateway. Any
 * process behind the public URL can answer, so replicas need no gateway connection of their own.
 *
 * Requests are checked before anything is parsed: Ed25519 signature over timestamp and body, a 5-minute window,
 * and a signature seen before is a replay; each refusal is 401 (Discord's portal checks that a bad signature
 * gets 401 before it saves the URL). PING is answered with PONG in the response, as Discord requires. Every
 * other interaction is acknowledged with 202 and handed to discord.js exactly as a gateway INTERACTION_CREATE
 * is, so one handler serves both transports and its answer goes to Discord's interaction callback endpoint,
 * which Discord accepts for interactions it delivered over HTTP too.
 */
export function discordInteractionsRoute(options: InteractionsRouteOptions): Route {
  const ingest = interactionCreate(options.client);
  return {
    name: 'discord-interactions',
    path: DISCORD_INTERACTIONS_PATH,
    methods: ['POST'],
    async handle(req, res) {
      const body = await readRawBody(req, MAX_BODY);
      if (!body) return plain(res, 413, 'Payload too large for an interaction.\n');
      const signature = header(req.headers['x-signature-ed25519']);
      const timestamp = header(req.headers['x-signature-timestamp']);
      const nowSec = Math.floor(Date.now() / 1000);
      let refusal = interactionRefusal(options.publicKey, { signature, timestamp, body }, nowSec);
      if (!refusal && !(await options.seen.firstTime(signature!, Number(timestamp), nowSec))) refusal = 'replayed signature';
      if (refusal) {
        options.log.warn({ reason: refusal, remote: req.socket.remoteAddress }, 'discord interaction refused');
        return plain(res, 401, 'invalid request signature\n');
      }
      let payload: { type?: unknown; id?: unknown };
      try {
        payload = JSON.parse(body.toString('utf8')) as typeof payload;
      } catch {
        return plain(res, 400, 'The body is not JSON.\n');
      }
      if (payload.type === PING) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: PING }));
        return;
      }
      res.writeHead(202).end();
      try {
        ingest(payload);
      } catch (err) {
        options.log.error({ err, interaction: payload.id }, 'discord interaction from the endpoint could not be read');
      }
    },
  };
}

/**
 * discord.js builds Interaction objects from gateway payloads in its InteractionCreate action; the gateway
 * handler calls exactly this. It is not in discord.js's typings, so look it up once and fail at start-up, with
 * the reason, if a discord.js upgrade moved it (the HTTP interaction tests exercise it end to end).
 */
function interactionCreate(client: Client): (payload: unknown) => void {
  const action = (client as unknown as { actions?: { InteractionCreate?: InteractionCreateAction } }).actions?.InteractionCreate;
  if (typeof action?.handle !== 'function') throw new Error('this discord.js has no InteractionCreate action: HTTP interactions need discord.js 14');
  return (payload) => action.handle(payload);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
