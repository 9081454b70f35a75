import { community, span } from './community-files';

/**
 * More facts from /work/shared/events-other/README.md, field by field, beside communities.test.ts. Where the
 * README leaves a value open, the expectation is what a person reading the post would take (said in a comment).
 */
describe('other communities: more facts per file', () => {
  it('rust-aarhus: each meetup ends where its agenda says; the bar after the closing remarks is after the meetup', () => {
    const { byFile, warnings } = community('rust-aarhus');
    expect(span(byFile('2023-04-20-talks.md'))).toBe('2023-04-20T18:00-21:00');
    expect(span(byFile('2023-08-24-hack.md'))).toBe('2023-08-24T18:00-21:00');
    // "18:25 - 18:30: Closing remarks": the end of the range.
    expect(span(byFile('2023-11-07-talks.md'))).toBe('2023-11-07T16:15-18:30');
    // "20:55 - 21:00: Closing remarks", then "21:00: Let's continue the discussion at a nearby bar".
    expect(span(byFile('2024-04-25-talk-night.md'))).toBe('2024-04-25T18:05-21:00');
    expect(span(byFile('2024-11-28-talk-night.md'))).toBe('2024-11-28T18:05-21:00');
    expect(span(byFile('2025-06-19-talk-night.md'))).toBe('2025-06-19T18:05-21:00');
    expect(warnings).toEqual([]);
  });
});
