/**
 * Prose dates in a language chrono-node has no locale for (Polish), through the nearest right thing: that
 * language's month and weekday names mapped to English abbreviations of the same length or shorter, padded in front with
 * spaces so every offset still points at the written text, then read by chrono's British English parser (day
 * before month, as these languages write dates: "30.07.2025", "środa, 30 lipca 2025 o 18:00"). Numbers, times
 * and punctuation pass unchanged; words that are not dates are left alone.
 *
 * A table per language: every grammatical form a month or weekday takes in an announcement (nominative,
 * genitive "30 lipca", locative "w lipcu"; accusative "w środę"). Adding a language means adding its table.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface WordTable {
  months: string[][];
  weekdays: string[][];
  /** Words before a time or date that chrono's English does not know ("o 18:00" = "at 18:00"). */
  fillers: string[];
}

export const WORD_TABLES: Record<string, WordTable> = {
  pl: {
    months: [
      ['styczeń', 'stycznia', 'styczniu'],
      ['luty', 'lutego', 'lutym'],
      ['marzec', 'marca', 'marcu'],
      ['kwiecień', 'kwietnia', 'kwietniu'],
      ['maj', 'maja', 'maju'],
      ['czerwiec', 'czerwca', 'czerwcu'],
      ['lipiec', 'lipca', 'lipcu'],
      ['sierpień', 'sierpnia', 'sierpniu'],
      ['wrzesień', 'września', 'wrześniu'],
      ['październik', 'października', 'październiku'],
      ['listopad', 'listopada', 'listopadzie'],
      ['grudzień', 'grudnia', 'grudniu'],
    ],
    weekdays: [
      ['poniedziałek', 'poniedziałku'],
      ['wtorek', 'wtorku'],
      ['środa', 'środę', 'środy'],
      ['czwartek', 'czwartku'],
      ['piątek', 'piątku'],
      ['sobota', 'sobotę', 'soboty'],
      ['niedziela', 'niedzielę', 'niedzieli'],
    ],
    fillers: ['o', 'od', 'godz.', 'godzina', 'godzinie', 'dnia', 'dzień', 'w', 'we', 'r.', 'roku'],
  },
};

/** Languages read through a table (and chrono's British English) rather than a chrono locale. */
export function hasWordTable(language: string): boolean {
  return Object.hasOwn(WORD_TABLES, language);
}

const compiled = new Map<string, (text: string) => string>();

/** `text` with the language's date words replaced in place (same length), ready for chrono's English. */
export function translateDateWords(text: string, language: string): string {
  let translate = compiled.get(language);
  if (!translate) {
    const table = WORD_TABLES[language]!;
    const words = new Map<string, string>();
    table.months.forEach((forms, i) => forms.forEach((f) => words.set(f, MONTHS[i]!)));
    table.weekdays.forEach((forms, i) => forms.forEach((f) => words.set(f, WEEKDAYS[i]!)));
    for (const f of table.fillers) words.set(f, '');
    const alternatives = [...words.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // Whole words only ("maja" but not "majaczy"); a dot may end an abbreviation ("godz.").
    const pattern = new RegExp(`(?<![\\p{L}])(?:${alternatives.join('|')})(?![\\p{L}])`, 'giu');
    translate = (t) => t.replace(pattern, (m) => {
      const english = words.get(m.toLowerCase()) ?? '';
      // A form shorter than its abbreviation would be blanked rather than misread (none in the tables today).
      return english.length <= m.length ? english.padStart(m.length, ' ') : ' '.repeat(m.length);
    });
    compiled.set(language, translate);
  }
  return translate(text);
}
