import { richToPlain, toPlainText } from '../../../src/chat/message';
import { eventLine, presentAgenda, presentNextLine } from '../../../src/chat/present/event';
import { berlin, makeEvent, makeSettings } from '../../helpers/events';
import { TEST_FEEDS } from '../../helpers/services';

/** The Netlight 2025 post's first version: only its publication date, 10 March, which is not the meetup's. */
const guessed = makeEvent({ id: 'netlight-2025', title: 'SRE Munich at Netlight 2025', start: berlin('2025-03-10T18:00'), end: berlin('2025-03-10T21:00'), dateToBeConfirmed: true, source: { file: 'events/netlight-2025.md', publishedAt: berlin('2025-03-10T18:00') } });

describe('a meetup whose date is to be confirmed, in chat', () => {
  it('says "date to be confirmed" and never shows the placeholder date', () => {
    const texts = [
      toPlainText(presentAgenda(guessed, makeSettings(), TEST_FEEDS, { now: berlin('2025-03-10T22:00') })),
      toPlainText(presentNextLine(guessed, makeSettings(), TEST_FEEDS)),
      richToPlain(eventLine(guessed)),
    ];
    for (const text of texts) {
      expect(text).toMatch(/date to be confirmed/i);
      expect(text).not.toMatch(/10 Mar|Mar 10|2025-03-10/);
    }
    // Its placeholder is in the past, but the meetup has not taken place.
    expect(texts[0]).not.toContain('took place');
    // No calendar link: the feeds carry no entry at a guessed date.
    expect(presentAgenda(guessed, makeSettings(), TEST_FEEDS, { now: berlin('2025-03-10T22:00') }).links.map((l) => l.label)).not.toContain('Add to calendar');
    expect(texts[1]).not.toContain(TEST_FEEDS.event(guessed.id));
  });

  it('a meetup with its date shows it as before', () => {
    const dated = { ...guessed, dateToBeConfirmed: undefined, start: berlin('2025-04-14T18:00'), end: berlin('2025-04-14T21:00') };
    expect(richToPlain(eventLine(dated))).toMatch(/14 Apr 2025/);
    expect(richToPlain(eventLine(dated))).not.toMatch(/confirmed/);
  });
});

describe('an old post without a meetup date, in chat', () => {
  /** As the shipped 2018 posts are: only the publication date, which is the placeholder start. */
  const old = makeEvent({
    id: '2018-12-advent',
    title: 'SRE Munich Advent Meetup',
    start: berlin('2018-12-03T09:00'),
    end: berlin('2018-12-03T12:00'),
    dateToBeConfirmed: true,
    source: { file: 'events/2018-12-advent.md', publishedAt: berlin('2018-12-03T09:00') },
  });
  const now = berlin('2026-12-02T10:00');

  it('says when it was posted and that the post has no meetup date, never "to be confirmed"', () => {
    const agenda = toPlainText(presentAgenda(old, makeSettings(), TEST_FEEDS, { now }));
    const line = richToPlain(eventLine(old, { now }));
    for (const text of [agenda, line]) {
      expect(text).toContain('posted Mon 3 Dec 2018; the meetup date is not in the post');
      expect(text).not.toMatch(/to be confirmed/i);
    }
    // It is history: no RSVP, no "add to calendar" for a day nobody knows, and no claim it took place on that day.
    const model = presentAgenda(old, makeSettings(), TEST_FEEDS, { now });
    expect(model.buttons.filter((b) => b.id.startsWith('rsvp'))).toEqual([]);
    expect(model.links.map((l) => l.label)).not.toContain('Add to calendar');
    expect(agenda).not.toContain('took place');
  });

  it('a recent post without a date is still "to be confirmed" (the same post, 10 days after it was published)', () => {
    const recent = berlin('2018-12-13T10:00');
    expect(toPlainText(presentAgenda(old, makeSettings(), TEST_FEEDS, { now: recent }))).toMatch(/date to be confirmed/);
    expect(richToPlain(eventLine(old, { now: recent }))).toMatch(/date to be confirmed/);
    expect(toPlainText(presentAgenda(old, makeSettings(), TEST_FEEDS, { now: recent }))).not.toContain('posted');
  });
});
