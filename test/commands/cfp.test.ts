import { richToPlain } from '../../src/chat/message';
import { PROPOSAL_FIELDS } from '../../src/cfp/submissions';
import { consoleSession, makeWorld, member, messageOf, organizer, plainOf } from './world';

const proposal = {
  title: 'Tales from On-call: the night DNS died',
  abstract: 'We lost DNS for an hour. Here is what we learned about caches, TTLs and timeouts.',
  length: '30',
  speaker: 'Jane Doe (Example GmbH)',
  contact: 'jane@example.org',
};

describe('/cfp', () => {
  it('shows the call: text, lengths, formats, how to submit, contact, and a Submit button', async () => {
    const m = messageOf(await makeWorld().dispatcher.runText('cfp', '', member));
    expect(m.title).toBe('Call for talks: SRE Munich');
    expect(richToPlain(m.intro)).toBe("We're always looking for 20-45 minute (technical) talks and 5-8 minute lightning talks.");
    expect(m.fields.map((f) => [f.name, richToPlain(f.value)])).toEqual([
      ['Talks', '20-45 minutes'],
      ['Lightning talks', '5-8 minutes'],
    ]);
    const text = plainOf({ message: m });
    expect(text).toContain('• Tales from On-call / Featured Post Mortem');
    expect(text).toContain('type /cfp submit, or send it to muc@sre.xyz.');
    expect(text).toContain('Questions\nmuc@sre.xyz');
    expect(m.buttons).toEqual([{ id: 'cfp:open', label: 'Submit a talk', style: 'primary' }]);
    expect(plainOf(await makeWorld().dispatcher.run('cfp', { subcommand: 'show', options: {} }, member))).toBe(text);
  });

  it('shows a deadline, and says when the call has closed', async () => {
    const open = makeWorld({ settings: { cfp: { ...baseCall(), deadline: '2024-07-31' } } });
    expect(messageOf(await open.dispatcher.runText('cfp', '', member)).fields.at(-1)).toMatchObject({ name: 'Deadline' });
    expect(richToPlain(messageOf(await open.dispatcher.runText('cfp', '', member)).fields.at(-1)!.value)).toBe('Wed 31 Jul 2024');
    open.clock.set('2024-08-01T09:00:00+02:00');
    const closed = messageOf(await open.dispatcher.runText('cfp', '', member));
    expect(closed.fields.at(-1)).toMatchObject({ name: 'Closed on' });
    expect(richToPlain(closed.intro)).toMatch(/^The call for the coming meetup has closed; proposals for later meetups are still welcome\./);
  });

  it('opens the form from /cfp submit and from the button, with the store’s size limits', async () => {
    const world = makeWorld();
    const reply = await world.dispatcher.runText('cfp', 'submit', member);
    if (!('modal' in reply)) throw new Error('expected a form');
    expect(reply.modal).toMatchObject({ id: 'cfp:submit', title: 'Submit a talk', submitLabel: 'Send proposal' });
    expect(reply.modal.fields.map((f) => [f.id, f.style, f.required, f.maxLength])).toEqual([
      ['title', 'short', true, PROPOSAL_FIELDS.title.max],
      ['abstract', 'paragraph', true, PROPOSAL_FIELDS.abstract.max],
      ['length', 'short', true, PROPOSAL_FIELDS.length.max],
      ['speaker', 'short', true, PROPOSAL_FIELDS.speaker.max],
      ['contact', 'short', true, PROPOSAL_FIELDS.contact.max],
    ]);
    // Discord allows five inputs, 45-character labels and 100-character placeholders; Slack 24-character titles.
    expect(reply.modal.fields.length).toBeLessThanOrEqual(5);
    expect(reply.modal.fields.every((f) => f.label.length <= 45 && (f.placeholder?.length ?? 0) <= 100 && f.maxLength <= 4000)).toBe(true);
    expect(reply.modal.title.length).toBeLessThanOrEqual(24);
    expect(await world.dispatcher.button('cfp:open', member)).toEqual(reply);
  });

  it('stores a submission, forwards it to the organizers and confirms privately', async () => {
    const world = makeWorld();
    const outcome = await world.dispatcher.modalSubmit('cfp:submit', proposal, member);
    expect(outcome).toMatchObject({ title: 'Thank you!', ephemeral: true });
    expect('intro' in outcome && richToPlain(outcome.intro)).toBe('We received “Tales from On-call: the night DNS died”. The organizers will get back to you at jane@example.org.');
    expect(await world.services.cfp.list(10)).toEqual([
      expect.objectContaining({ title: proposal.title, length: 'Talk, 30 minutes', speaker: proposal.speaker, userId: 'U0MEMBER', platform: 'slack' }),
    ]);
    expect(world.notified).toHaveLength(1);
    const forwarded = world.notified[0]!;
    expect(forwarded.title).toBe('New talk proposal');
    expect(forwarded.fields.map((f) => [f.name, richToPlain(f.value)])).toEqual([
      ['Speaker', 'Jane Doe (Example GmbH)'],
      ['Length', 'Talk, 30 minutes'],
      ['Contact', 'jane@example.org'],
      ['Sent by', `member on slack, ${richToPlain([{ kind: 'time', at: world.clock.now(), format: 'full' }])}`],
    ]);
    expect(richToPlain(forwarded.sections[0]!.body)).toBe(proposal.abstract);
  });

  it('shows field problems next to the field and stores nothing', async () => {
    const world = makeWorld();
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, length: 'ninety minutes or so' }, member)).toEqual({
      errors: { length: 'Please give minutes or a kind of talk: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.' },
    });
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, length: '90' }, member)).toEqual({
      errors: { length: '90 minutes does not fit: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.' },
    });
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title: 'DNS' }, member)).toEqual({ errors: { title: 'Title is too short: at least 5 characters, please.' } });
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, contact: '' }, member)).toEqual({ errors: { contact: 'Contact is required.' } });
    const huge = 'x'.repeat(PROPOSAL_FIELDS.abstract.max + 1);
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, abstract: huge }, member)).toEqual({
      errors: { abstract: `Abstract is too long: at most ${PROPOSAL_FIELDS.abstract.max} characters (got ${huge.length}).` },
    });
    expect(await world.services.cfp.list(10)).toEqual([]);
    expect(world.notified).toEqual([]);
  });

  it('refuses a fourth proposal in a day with a message (not a field error), then accepts again later', async () => {
    const world = makeWorld();
    for (const title of ['First idea here', 'Second idea here', 'Third idea here']) {
      expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title }, member)).toMatchObject({ title: 'Thank you!' });
    }
    const limited = await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title: 'Fourth idea here' }, member);
    expect(limited).toMatchObject({ ephemeral: true });
    expect('intro' in limited && richToPlain(limited.intro)).toBe(
      'You have sent 3 proposals in the last 24 hours, the most we take from one person. You can send the next one in 24 hours.',
    );
    expect(await world.services.cfp.list(10)).toHaveLength(3);
    world.clock.advance({ hours: 24, minutes: 1 });
    expect(await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title: 'Fourth idea here' }, member)).toMatchObject({ title: 'Thank you!' });
  });

  it('keeps the proposal when the organizers cannot be told, and says so', async () => {
    const world = makeWorld({
      notify: async () => {
        throw new Error('channel_not_found');
      },
    });
    const outcome = await world.dispatcher.modalSubmit('cfp:submit', proposal, member);
    expect('intro' in outcome && richToPlain(outcome.intro)).toContain('(They could not be notified just now; they will find it with /cfp list.)');
    expect(await world.services.cfp.list(10)).toHaveLength(1);
  });

  it('keeps mentions in proposals as plain text for the renderers (never pinging from the organizers’ channel)', async () => {
    const world = makeWorld();
    await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title: '<!channel> @everyone wake up', speaker: '<@U123> and <@&42>' }, member);
    const forwarded = world.notified[0]!;
    expect(forwarded.intro).toEqual([{ kind: 'bold', text: '<!channel> @everyone wake up' }]);
    expect(forwarded.fields[0]!.value).toEqual(['<@U123> and <@&42>']);
  });

  it('/cfp list is for organizers: refused to members, the recent proposals to organizers', async () => {
    const world = makeWorld();
    await world.dispatcher.modalSubmit('cfp:submit', proposal, member);
    world.clock.advance({ hours: 1 });
    await world.dispatcher.modalSubmit('cfp:submit', { ...proposal, title: 'Error budgets in practice', length: 'lightning', contact: '@bob' }, { ...member, id: 'U0BOB', name: 'bob' });

    const refused = messageOf(await world.dispatcher.runText('cfp', 'list', member));
    expect(plainOf({ message: refused })).toBe('/cfp list is for organizers only.');
    expect(refused.ephemeral).toBe(true);

    const listed = messageOf(await world.dispatcher.runText('cfp', 'list', organizer));
    expect(listed.ephemeral).toBe(true);
    expect(listed.title).toBe('Talk proposals (latest 2)');
    expect(plainOf({ message: listed }).split('\n').slice(1)).toEqual([
      'Error budgets in practice — Jane Doe (Example GmbH) · Lightning talk (5-8 minutes)',
      '   #2 · @bob · from bob on slack, Mon 8 Jul 2024',
      'Tales from On-call: the night DNS died — Jane Doe (Example GmbH) · Talk, 30 minutes',
      '   #1 · jane@example.org · from member on slack, Mon 8 Jul 2024',
    ]);
    expect(plainOf(await world.dispatcher.runText('cfp', 'list 1', organizer)).split('\n')[0]).toBe('Talk proposals (latest 1)');
    expect(plainOf(await world.dispatcher.runText('cfp', 'list 0', organizer))).toBe('count must be between 1 and 50, got 0.');
    expect(plainOf(await world.dispatcher.runText('cfp', 'list 51', organizer))).toBe('count must be between 1 and 50, got 51.');
    expect(plainOf(await makeWorld().dispatcher.runText('cfp', 'list', organizer))).toBe('No talk proposals yet.');
  });

  it('refuses a subcommand it does not have', async () => {
    expect(plainOf(await makeWorld().dispatcher.runText('cfp', 'delete everything', organizer))).toBe('Unknown subcommand "delete" for /cfp. Try one of: show, submit, list.');
  });
});

describe('/cfp on the console', () => {
  it('fills the form line by line, asks again for a refused field, and confirms', async () => {
    const world = makeWorld();
    const out = await consoleSession(world, [
      '/cfp',
      '[Submit a talk]',
      proposal.title,
      'We lost DNS for an hour.',
      'Here is what we learned about caches.',
      '.',
      'ninety',
      proposal.speaker,
      proposal.contact,
      '25',
    ]);
    expect(out).toContain('Submit a talk: answer each question (/cancel to stop).');
    expect(out).toContain('Abstract (What will people take home? A few sentences are plenty.) [several lines; end with a line holding just "."]:');
    expect(out).toContain('Length: Please give minutes or a kind of talk');
    expect(out).toContain('We received “Tales from On-call: the night DNS died”.');
    expect(await world.services.cfp.list(10)).toEqual([
      expect.objectContaining({ abstract: 'We lost DNS for an hour.\nHere is what we learned about caches.', length: 'Talk, 25 minutes', platform: 'console', userName: 'operator' }),
    ]);
  });

  it('checks sizes before sending, and /cancel stops the form without sending', async () => {
    const world = makeWorld();
    const out = await consoleSession(world, ['/cfp submit', '', 'x'.repeat(PROPOSAL_FIELDS.title.max + 1), 'A fine title', '/cancel', '/next']);
    expect(out).toContain('Title is required.');
    expect(out).toContain(`Title is too long: at most ${PROPOSAL_FIELDS.title.max} characters (got ${PROPOSAL_FIELDS.title.max + 1}).`);
    expect(out).toContain('Form cancelled; nothing was sent.');
    expect(out).toContain('Next: SRE Munich at Celonis 2024');
    expect(await world.services.cfp.list(10)).toEqual([]);
  });

  it('lists proposals for the operator, who is an organizer', async () => {
    const world = makeWorld();
    await world.dispatcher.modalSubmit('cfp:submit', proposal, member);
    const out = await consoleSession(world, ['/cfp list']);
    expect(out).toContain('Talk proposals (latest 1)');
  });
});

function baseCall() {
  return {
    text: 'We are looking for talks.',
    talkMinutes: { min: 20, max: 45 },
    lightningMinutes: { min: 5, max: 8 },
    formats: ['Technical talk'],
    submitUrl: 'mailto:muc@sre.xyz',
  };
}
