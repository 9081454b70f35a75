/**
 * The real commands from commands/ through the real dispatcher and the real SlackChat (Bolt HTTP receiver,
 * signed requests) against the fake Slack: what members and organizers actually see in Block Kit.
 */
import { randomUUID } from 'node:crypto';
import { makeEvent } from '../helpers/events';
import type { MessageModel } from '../../src/chat/message';
import { commands, makeWorld, pastEvents, type World } from '../commands/world';
import { SIGNING_SECRET, startSlackBot, type SlackBot } from './slack-harness';
import type { ViewStateValues } from '../fakes/slack';

const ZWJ = '\u200d';
const ORGANIZERS_CHANNEL = 'C0ORGS';

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { action_id?: string; text?: string | { text: string }; url?: string }[];
}

describe('the real commands on Slack', () => {
  let bot: SlackBot;
  let world: World;

  async function start(options: Parameters<typeof makeWorld>[0] = {}): Promise<void> {
    world = makeWorld({ ...options, notify: (m: MessageModel) => bot.chat.post(ORGANIZERS_CHANNEL, m, { deliveryKey: randomUUID() }).then(() => undefined) });
    bot = await startSlackBot({
      commands,
      dispatcher: world.dispatcher,
      config: { organizerUserIds: ['U0ORGA'], organizersChannel: ORGANIZERS_CHANNEL },
    });
  }

  afterEach(() => bot.stop());

  const slash = async (command: string, text: string, overrides: Record<string, string> = {}) => {
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields(command, text, overrides));
    expect(res.status).toBe(200);
    return res.json as { response_type: string; text: string; blocks: Block[] };
  };

  it('/agenda answers in the channel with the agenda in Block Kit: header, page, dates, agenda, talks, button, hashtag', async () => {
    await start();
    const answer = await slash('agenda', '');
    expect(answer.response_type).toBe('in_channel');
    const [header, page] = answer.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: 'SRE Munich at Celonis 2024', emoji: true } });
    expect(page).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '<https://muc.sre.xyz/posts/sre-munich-summer-event-2024/|muc.sre.xyz/posts/sre-munich-summer-event-2024/>', verbatim: true }] });
    const start18h30 = Math.floor(Date.parse('2024-07-10T16:30:00Z') / 1000);
    const facts = answer.blocks.find((b) => b.fields)!;
    expect(facts.fields![0]!.text).toBe(`*When*\n<!date^${start18h30}^{date_short_pretty}|${dateFallback('ccc d LLL yyyy')}>, <!date^${start18h30}^{time}|18:30>–<!date^${start18h30 + 9000}^{time}|21:00>`);
    const texts = answer.blocks.map((b) => b.text?.text ?? '');
    expect(texts).toContain(
      [
        '*Agenda*',
        `<!date^${start18h30}^{time}|18:30>  Get together with food and drinks`,
        `<!date^${start18h30 + 1800}^{time}|19:00>  Celonis welcomes you to SREmuc`,
        `<!date^${start18h30 + 2400}^{time}|19:10>  *Talk 1: Upgrading thousands of stateful applications across a global Kubernetes infrastructure* — Michael Lex (ClickHouse)`,
        `<!date^${start18h30 + 4200}^{time}|19:40>  *Talk 2: Lessons learned from 15 years DevOps* — Paul Stack (System Initiative)`,
        `<!date^${start18h30 + 7200}^{time}|20:30>  Networking + Drinks`,
        `<!date^${start18h30 + 9000}^{time}|21:00>  Leave happy and inspired :)`,
      ].join('\n'),
    );
    expect(texts).toContain(
      `*Upgrading thousands of stateful applications across a global Kubernetes infrastructure*\n<!date^${start18h30 + 2400}^{time}|19:10> · Michael Lex (ClickHouse) · Slides: <https://muc.sre.xyz/slides/2024_07/clickhouse.pdf|Clickhouse>`,
    );
    const actions = answer.blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements).toEqual([{ type: 'button', action_id: 'agenda:abstracts:sre-munich-summer-event-2024', text: { type: 'plain_text', text: 'Abstracts', emoji: true }, value: 'agenda:abstracts:sre-munich-summer-event-2024' }]);
    expect(answer.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '#sremuc · muc@sre.xyz', verbatim: true }] });
    expect(answer.text.startsWith('SRE Munich at Celonis 2024\n')).toBe(true);
  });

  it('the Abstracts button answers the presser privately through response_url', async () => {
    await start();
    const answered = bot.slack.waitForResponse();
    const res = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.blockActionPayload('agenda:abstracts:sre-munich-summer-event-2024'));
    expect(res.status).toBe(200);
    const { body } = await answered;
    expect(body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(body.text)).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
  });

  it('bad input gets a private explanation: unknown meetup (did you mean), bad date, over-long text', async () => {
    await start();
    const unknown = await slash('agenda', 'celnois');
    expect(unknown.response_type).toBe('ephemeral');
    expect(unknown.text).toContain('No meetup matches "celnois". Did you mean:');
    expect(JSON.stringify(unknown.blocks)).toContain('`sre-munich-summer-event-2024`');
    expect(await slash('agenda', '2023-13')).toMatchObject({ response_type: 'ephemeral', text: '"2023-13" is not a date I can read. Use a month like 2023-06 or a day like 2023-06-13.' });
    expect(await slash('agenda', 'x'.repeat(150))).toMatchObject({ response_type: 'ephemeral', text: 'event is too long for /agenda: at most 100 characters, got 150.' });
  });

  it('mentions in event data never ping: titles, venues and talks are escaped', async () => {
    const hostile = makeEvent({ title: '<!channel> Party @here', venue: '<@U0BOSS> office <!subteam^S0ALL>' });
    hostile.talks[0] = { ...hostile.talks[0]!, title: '@everyone listen', speakers: [{ name: '<@U123>' }] };
    await start({ events: [...pastEvents(), hostile] });
    for (const command of ['agenda', 'next', 'events']) {
      const answer = await slash(command, '');
      const everything = JSON.stringify(answer);
      expect(everything).not.toMatch(/<!channel>|<@U0BOSS>|<!subteam|<@U123>|@here|@everyone/);
      expect(everything).toContain(`&lt;!channel&gt; Party @${ZWJ}here`);
    }
  });

  it('/cfp: the call with a Submit button; the button opens the form; a submission is stored and forwarded', async () => {
    await start();
    const call = await slash('cfp', '');
    expect(call.blocks.find((b) => b.type === 'actions')!.elements).toEqual([
      { type: 'button', action_id: 'cfp:open', text: { type: 'plain_text', text: 'Submit a talk', emoji: true }, value: 'cfp:open', style: 'primary' },
    ]);

    await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.blockActionPayload('cfp:open'));
    await waitUntil(() => bot.slack.callsTo('views.open').length === 1);
    const view = bot.slack.callsTo('views.open')[0]!.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string; optional: boolean; element: { max_length: number; multiline: boolean } }[] };
    expect(view.callback_id).toBe('cfp:submit');
    expect(view.blocks.map((b) => [b.block_id, b.optional, b.element.max_length, b.element.multiline])).toEqual([
      ['title', false, 150, false],
      ['abstract', false, 3000, true],
      ['length', false, 60, false],
      ['speaker', false, 150, false],
      ['contact', false, 200, false],
    ]);

    const res = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, proposalValues({ title: '<!channel> Tales from On-call @everyone' })));
    expect(res.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    // The answer travels in the ack when it is ready within the budget, else in a views.update (a busy machine).
    if (!JSON.stringify(res.json).includes('Thank you!')) {
      expect(JSON.stringify(res.json)).toContain('Submitting');
      await waitUntil(() => bot.slack.callsTo('views.update').length === 1);
      expect(JSON.stringify(bot.slack.callsTo('views.update')[0]!.params.view)).toContain('Thank you!');
    }
    expect(await world.services.cfp.list(5)).toEqual([expect.objectContaining({ title: '<!channel> Tales from On-call @everyone', platform: 'slack', userId: 'U0MEMBER' })]);

    await waitUntil(() => bot.slack.messages(ORGANIZERS_CHANNEL).length === 1);
    const forwarded = bot.slack.messages(ORGANIZERS_CHANNEL)[0]!;
    expect(forwarded.text).toContain('New talk proposal');
    expect(JSON.stringify(forwarded)).not.toMatch(/<!channel>|@everyone/);
    expect(JSON.stringify(forwarded)).toContain(`&lt;!channel&gt; Tales from On-call @${ZWJ}everyone`);
  });

  it('/cfp submit: every field problem shows next to its field at once; the rate limit replaces the form with an explanation', async () => {
    await start();
    const view = { callback_id: 'cfp:submit', private_metadata: JSON.stringify({ channel: 'C0GENERAL' }) };
    const invalid = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, proposalValues({ length: '3 hours' })));
    expect(invalid.json).toEqual({ response_action: 'errors', errors: { length: 'Please give minutes or a kind of talk: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.' } });
    // Every bad field at once, the size checks and the length check together, each next to its input.
    const twoBad = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, proposalValues({ title: 'x', length: '3 hours' })));
    expect(twoBad.json).toEqual({
      response_action: 'errors',
      errors: {
        title: 'Title is too short: at least 5 characters, please.',
        length: 'Please give minutes or a kind of talk: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.',
      },
    });
    expect(await world.services.cfp.list(10)).toEqual([]);

    for (const title of ['First idea here', 'Second idea here', 'Third idea here']) {
      await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, proposalValues({ title })));
    }
    const limited = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.viewSubmissionPayload(view, proposalValues({ title: 'Fourth idea here' })));
    expect(limited.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(limited.json)).toContain('You have sent 3 proposals in the last 24 hours');
    expect(await world.services.cfp.list(10)).toHaveLength(3);
  });

  it('/cfp list: refused to a member, shown privately to an organizer', async () => {
    await start();
    await world.dispatcher.modalSubmit('cfp:submit', PROPOSAL, { platform: 'slack', id: 'U0JANE', name: 'jane', isOrganizer: false });
    expect(await slash('cfp', 'list')).toMatchObject({ response_type: 'ephemeral', text: '/cfp list is for organizers only.' });
    const listed = await slash('cfp', 'list', { user_id: 'U0ORGA', user_name: 'ingo' });
    expect(listed.response_type).toBe('ephemeral');
    expect(listed.text).toContain('Tales from On-call: the night DNS died — Jane Doe · Talk, 30 minutes');
  });

  it('/next, /events, /subscribe and /help answer with their messages', async () => {
    await start();
    expect((await slash('next', '')).text).toMatch(/^Next: SRE Munich at Celonis 2024/);
    expect((await slash('events', '2')).text).toContain('Recent\nWed 31 Jan 2024 · SRE+Grafana Munich at nordcloud 2024');
    const subscribe = await slash('subscribe', '');
    expect(subscribe.blocks.find((b) => b.type === 'actions')!.elements).toEqual([
      { type: 'button', action_id: 'subscribe:page', text: { type: 'plain_text', text: 'All the ways to subscribe', emoji: true }, url: 'http://127.0.0.1:8080/' },
    ]);
    const help = await slash('help', '');
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/agenda [event] [abstracts] The agenda of the next meetup');
  });
});

function dateFallback(format: string): string {
  return makeEvent().start.toFormat(format);
}

const PROPOSAL = {
  title: 'Tales from On-call: the night DNS died',
  abstract: 'We lost DNS for an hour. Here is what we learned about caches and timeouts.',
  length: '30',
  speaker: 'Jane Doe',
  contact: 'jane@example.org',
};

/** The form's values as Slack nests them in view.state (block id → action id → input). */
function proposalValues(overrides: Partial<typeof PROPOSAL>) {
  const values = { ...PROPOSAL, ...overrides };
  return Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { [id]: { type: 'plain_text_input', value } }])) as ViewStateValues;
}



async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
