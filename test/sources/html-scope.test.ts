import { parseSections } from '../../src/sources/markdown-tree';

/** What an HTML heading rules: the outermost element it is the first text of, as a visitor reads a card. */
describe('headings in HTML blocks', () => {
  it('a speaker heading inside a card rules the speaker part; the description after it belongs to the talk again', () => {
    const body = [
      '## Talks',
      '',
      '<div class="talk">',
      '  <div class="header"><h3>Scaling with Ray</h3><p>45 min</p></div>',
      '  <div class="speaker"><div class="photo"><img src="x.jpg"></div>',
      '    <div class="info"><h4>Jane Doe</h4><p>Engineer at Acme.</p></div>',
      '  </div>',
      '  <div class="description"><p>How to scale Python.</p>',
      '    <div class="stack"><div><h5>Ray</h5><p>A framework</p></div></div>',
      '    <p>Bring a laptop.</p>',
      '  </div>',
      '</div>',
      '',
      'After the card.',
    ].join('\n');
    const sections = parseSections(body, 1);
    const text = (title: string) => sections.find((s) => s.title === title)!.lines.map((l) => l.text).filter((t) => t.trim() !== '');
    expect(text('Scaling with Ray')).toEqual(['45 min', 'How to scale Python.', 'Bring a laptop.']);
    expect(text('Jane Doe')).toEqual(['Engineer at Acme.']);
    expect(text('Ray')).toEqual(['A framework']);
    expect(text('Talks')).toEqual(['After the card.']);
  });
});
