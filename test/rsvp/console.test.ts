import { PassThrough } from 'node:stream';
import { ConsoleChat } from '../../src/chat/console/console';
import { withDirectMessages } from '../../src/rsvp/notices';
import { EVENT_ID, commands, rsvpWorld } from './world';

/** The console chat driven line by line: the operator is the member (and an organizer). */
async function session(lines: string[]) {
  const world = rsvpWorld();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const chat = new ConsoleChat({ input, output, commands, dispatcher: world.dispatcher });
  await chat.start();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await chat.finished();
  return { printed, world, chat };
}

describe('RSVP on the console', () => {
  it('answers Going through the form, remembers the real name, and prints the export', async () => {
    const { printed, world } = await session(['/rsvp', '[Going]', 'Ada Operator', 'no nuts', '/rsvp name', '', `/rsvp export ${EVENT_ID}`]);
    expect(printed).toContain('Are you coming to SRE Munich December 2026');
    expect(printed).toContain('Your name as on your ID');
    expect(printed).toContain('You are going to SRE Munich December 2026');
    // The name form opens with the name given before; Enter keeps it.
    expect(printed).toContain('(now "Ada Operator"; Enter keeps it)');
    expect(printed).toMatch(/--- rsvp-sre-munich-december-2026\.csv ---\nstatus,waitlist_position,real_name,chat_name,platform,user_id,Any dietary needs\?,answered_at\r?\nGoing,,Ada Operator,operator,console,console,no nuts,/);
    expect((await world.service.mine({ platform: 'console', id: 'console', name: 'operator', isOrganizer: true })).realName).toBe('Ada Operator');
    await world.close();
  });

  it('prints direct messages to the operator through the outbox', async () => {
    const { world, chat } = await session([]);
    const event = world.events[0]!;
    await world.service.respond(event, { platform: 'slack', id: 'U1', name: 'u1', isOrganizer: false }, 'going', { realName: 'Someone Else', answer: '' });
    await world.service.respond(event, { platform: 'console', id: 'console', name: 'operator', isOrganizer: true }, 'going', { realName: 'Ada Operator', answer: '' });
    await world.service.respond(event, { platform: 'slack', id: 'U1', name: 'u1', isOrganizer: false }, 'declined');
    const report = await world.scheduler([], [], { posters: [withDirectMessages(chat)] }).tick();
    expect(report.sent).toBe(1);
    await world.close();
  });
});
