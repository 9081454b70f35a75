/**
 * What the commands cost on top of the dispatcher itself, with 1,000 meetups loaded: each case runs through
 * createDispatcher exactly as an adapter calls it, and the baseline is a command that answers a fixed message
 * through the same dispatcher (parsing, organizer check, metrics) in the same run. Also renders each answer to
 * Block Kit, since that is part of every Slack reply.
 */
import { weeklyMeetups } from './generate-events';
import { Catalogue } from '../src/catalogue/catalogue';
import { createDispatcher } from '../src/chat/dispatch';
import { message } from '../src/chat/message';
import { renderMessage } from '../src/chat/slack/render';
import { defineCommand, type Caller } from '../src/commands/definition';
import { loadCommands } from '../src/commands/registry';
import { createLogger } from '../src/log';
import { berlin } from '../test/helpers/events';
import { makeServices } from '../test/helpers/services';

const caller: Caller = { platform: 'slack', id: 'U0BENCH', name: 'bench', isOrganizer: false };
const MEASURE_MS = 1500;


const catalogue = new Catalogue(weeklyMeetups(1000));
const now = berlin('2020-06-01T12:00');
const services = makeServices({ catalogue: () => catalogue, now: () => now });
const commands = loadCommands();
commands.set('ping', defineCommand({ name: 'ping', description: 'baseline', options: [], run: () => ({ message: message({ intro: ['pong'] }) }) }));
const dispatcher = createDispatcher(commands, services, createLogger('silent'));

async function perCall(run: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < 50; i++) await run();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) {
    await run();
    calls++;
  }
  return ((performance.now() - start) / calls) * 1000;
}

const answer = (name: string, text: string) => async () => {
  const reply = await dispatcher.runText(name, text, caller);
  if ('message' in reply) renderMessage(reply.message);
};

async function main(): Promise<void> {
  const baseline = await perCall(answer('ping', ''));
  const cases: [string, () => Promise<unknown> | unknown][] = [
    ['/agenda (next of 1,000)', answer('agenda', '')],
    ['/agenda last abstracts', answer('agenda', 'last abstracts')],
    ['/agenda 2015-03 (by month)', answer('agenda', '2015-03')],
    ['/agenda host 12 (words)', answer('agenda', 'host 12')],
    ['/agenda celnois (did you mean)', answer('agenda', 'celnois')],
    ['/next', answer('next', '')],
    ['/events', answer('events', '')],
    ['/help', answer('help', '')],
    ['autocomplete "" (25 of 1,000)', () => dispatcher.autocomplete('agenda', 'event', '', caller)],
    ['autocomplete "host 3"', () => dispatcher.autocomplete('agenda', 'event', 'host 3', caller)],
  ];
  console.log(`1,000 events; per call, dispatcher + Block Kit rendering; baseline: fixed answer through the same dispatcher`);
  console.log(`${'baseline /ping'.padEnd(34)} ${baseline.toFixed(1).padStart(8)} µs   1.0x`);
  for (const [name, run] of cases) {
    const us = await perCall(run);
    console.log(`${name.padEnd(34)} ${us.toFixed(1).padStart(8)} µs  ${(us / baseline).toFixed(1).padStart(5)}x`);
  }
}

void main();
