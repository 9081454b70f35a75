/**
 * /removals and its button, through the real dispatcher and a real Removals holding a deleted post: only
 * organizers may list or confirm; a confirmation serves the meetup as cancelled; unknown ids are explained.
 */
import { Removals } from '../../src/sources/removals';
import { removalNotices } from '../../src/sources/removal-notice';
import { createLogger } from '../../src/log';
import { berlin, makeEvent } from '../helpers/events';
import { makeWorld, member, organizer, plainOf } from './world';

function world() {
  const now = berlin('2026-04-05T12:00');
  const removals = new Removals({ now: () => now, log: createLogger('silent') });
  const spring = makeEvent({ id: 'spring-2026', title: 'SRE Munich Spring 2026', start: berlin('2026-04-14T18:30'), end: berlin('2026-04-14T21:30'), source: { file: 'content/events/spring-2026.md' } });
  removals.reconcile([spring], []);
  return { removals, spring, ...makeWorld({ now: '2026-04-05T12:00', removals }) };
}

it('the request carries a button that confirms; a member pressing it or typing the command is refused', async () => {
  const { removals, dispatcher } = world();
  const [notice] = removalNotices(removals.pending());
  const button = notice!.message.buttons[0]!;
  expect(button).toMatchObject({ id: 'removals:confirm:spring-2026', style: 'danger' });

  expect(plainOf(await dispatcher.button(button.id, member))).toMatch(/for organizers only/);
  expect(plainOf(await dispatcher.runText('removals', 'confirm spring-2026', member))).toMatch(/for organizers only/);
  expect(removals.get('spring-2026')?.state).toBe('pending');

  expect(plainOf(await dispatcher.button(button.id, organizer))).toContain('Confirmed: SRE Munich Spring 2026 is cancelled');
  expect(removals.get('spring-2026')).toMatchObject({ state: 'confirmed', confirmedBy: 'slack:ingo' });
  expect(removals.events()).toMatchObject([{ id: 'spring-2026', status: 'cancelled' }]);
  expect(plainOf(await dispatcher.button(button.id, organizer))).toContain('already confirmed as cancelled by slack:ingo');
});

it('/removals lists held and confirmed removals; an unknown id is explained', async () => {
  const { dispatcher } = world();
  const list = plainOf(await dispatcher.runText('removals', '', organizer));
  expect(list).toMatch(/SRE Munich Spring 2026 · .* · spring-2026 · waiting for confirmation · was content\/events\/spring-2026\.md/);
  expect(plainOf(await dispatcher.runText('removals', 'confirm autumn', organizer))).toContain('No removed post waits for confirmation as "autumn"');
});
