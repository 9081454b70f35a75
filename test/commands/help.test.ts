import { createDispatcher } from '../../src/chat/dispatch';
import { createLogger } from '../../src/log';
import { makeServices } from '../helpers/services';
import { makeWorld, member, messageOf, organizer, plainOf, commands } from './world';

describe('/help', () => {
  it('lists every loaded command with its usage and description', async () => {
    const m = messageOf(await makeWorld().dispatcher.runText('help', '', organizer));
    expect(m.ephemeral).toBe(true);
    const lines = plainOf({ message: m }).split('\n').filter((l) => l.startsWith('/') && !l.startsWith('/help <command>'));
    expect(lines.map((l) => l.split(' ')[0])).toEqual([...commands.values()].map((c) => `/${c.name}`));
    expect(lines).toContain('/agenda [event] [abstracts] The agenda of the next meetup, or of one you name');
    expect(lines).toContain('/cfp [show | submit | list [count]] The call for talks: what we look for and how to propose a talk');
  });

  it('lists the commands of the dispatcher it runs in, not whatever is in the commands folder', async () => {
    const only = new Map([...commands].filter(([name]) => name === 'help' || name === 'next'));
    const dispatcher = createDispatcher(only, makeServices(), createLogger('silent'));
    const text = plainOf(await dispatcher.runText('help', '', organizer));
    expect(text).toContain('/next');
    expect(text).not.toContain('/agenda');
    expect(plainOf(await dispatcher.runText('help', 'agenda', member))).toBe('There is no /agenda. Commands: /help, /next.');
  });

  it('hides organizer-only commands from members', async () => {
    const hidden = [...commands.values()].filter((c) => c.organizerOnly).map((c) => `/${c.name} `);
    const text = plainOf(await makeWorld().dispatcher.runText('help', '', member));
    for (const name of hidden) expect(text).not.toContain(name);
    expect(text).toContain('/next');
  });

  it('explains one command: usage, subcommands (organizer-only ones only for organizers), options', async () => {
    const world = makeWorld();
    const forMember = plainOf(await world.dispatcher.runText('help', 'cfp', member));
    expect(forMember).toContain('Subcommands\n/cfp show The call for talks: formats, lengths, how to submit\n/cfp submit Propose a talk (opens a form)');
    expect(forMember).not.toContain('/cfp list [count]');
    const forOrganizer = plainOf(await world.dispatcher.runText('help', '/cfp', organizer));
    expect(forOrganizer).toContain('/cfp list [count] Recent talk proposals (organizers only)');
    const agenda = plainOf(await world.dispatcher.runText('help', 'Agenda', member));
    expect(agenda).toContain('Usage\n/agenda: the next meetup');
    expect(agenda).toContain('Options\nevent next (default), last, a month like 2023-06, a host, a speaker or an event id (optional)');
  });

  it('shows Discord’s option syntax to Discord users', async () => {
    const discord = { ...member, platform: 'discord' as const };
    const text = plainOf(await makeWorld().dispatcher.run('help', { options: {} }, discord));
    expect(text).toContain('/agenda [event:] [abstracts:] The agenda');
    expect(text).toContain('/cfp show|submit The call for talks');
  });

  it('names the commands when asked about one that does not exist', async () => {
    const text = plainOf(await makeWorld().dispatcher.runText('help', 'dance', member));
    expect(text).toMatch(/^There is no \/dance\. Commands: \/agenda, .*\/subscribe\.$/);
  });

  it('completes command names', () => {
    expect(makeWorld().dispatcher.autocomplete('help', 'command', '/ag', member)).toEqual([{ name: '/agenda: The agenda of the next meetup, or of one you name', value: 'agenda' }]);
  });
});
