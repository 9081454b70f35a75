import { findProseDate } from '../../src/sources/prose-date';
import { translateDateWords } from '../../src/sources/prose-date-words';

const lines = (...texts: string[]) => texts.map((text, i) => ({ text, line: i + 1 }));
const published = { year: 2025, month: 7, day: 1 };

describe('Polish prose dates through the word table and chrono\'s British English', () => {
  it('reads a weekday, a genitive month and "o 18:00" as the date and start, on the line where they are written', () => {
    const found = findProseDate(lines('Zapraszamy na kolejne spotkanie!', 'Środa, 30 lipca 2025 o 18:00 w IndieBI.'), published, ['pl']);
    expect(found).toMatchObject({ date: { year: 2025, month: 7, day: 30 }, line: 2, start: { hour: 18, minute: 0 }, text: 'Środa, 30 lipca 2025 o 18:00' });
    expect(found?.weekdayMismatch).toBeUndefined();
  });

  it('reads day-first numeric dates ("30.07.2025 o 18:00") and a year-less date after the post', () => {
    expect(findProseDate(lines('zgłoś się w dniu meetupu - czyli **30.07.2025 o 18:00**.'), published, ['pl'])).toMatchObject({ date: { year: 2025, month: 7, day: 30 }, start: { hour: 18, minute: 0 } });
    expect(findProseDate(lines('Widzimy się 27 sierpnia!'), published, ['pl'])?.date).toEqual({ year: 2025, month: 8, day: 27 });
  });

  it('warns about a weekday the date contradicts, and skips a recap date before the post', () => {
    expect(findProseDate(lines('We wtorek, 30 lipca 2025 o 18:00'), published, ['pl'])?.weekdayMismatch).toBe('wednesday');
    expect(findProseDate(lines('Dziękujemy za 12 czerwca 2025!', 'Następne: 24 września 2025.'), published, ['pl'])?.date).toEqual({ year: 2025, month: 9, day: 24 });
  });

  it('keeps every offset (same length) and leaves words that only contain a month name alone', () => {
    const text = 'Majowe spotkanie: w środę, 28 maja 2025 roku o godz. 18:30';
    const translated = translateDateWords(text, 'pl');
    expect(translated).toHaveLength(text.length);
    expect(translated.startsWith('Majowe')).toBe(true);
    expect(findProseDate(lines(text), published, ['pl'])).toBeUndefined();
    expect(findProseDate(lines(text), { year: 2025, month: 5, day: 1 }, ['pl'])).toMatchObject({ date: { year: 2025, month: 5, day: 28 }, start: { hour: 18, minute: 30 } });
  });

  it('a profile can list Polish beside chrono\'s own languages', () => {
    expect(findProseDate(lines('On Wednesday, July 30th 2025 at 6 pm'), published, ['pl', 'en'])?.date).toEqual({ year: 2025, month: 7, day: 30 });
  });
});
