/**
 * A post whose text is a rich-text document in its front matter (Statamic's Bard field: ProseMirror nodes
 * serialised as YAML, `type: paragraph / heading / bullet_list / text / hard_break`, marks bold/italic/link), read
 * as the Markdown a person would have typed, so the same reader finds its agenda and talks. Each Markdown line
 * remembers the front matter path of the node it came from, so diagnostics name the file line of that text.
 */

export interface RichMarkdown {
  text: string;
  /** Per Markdown line (0-based), the dotted front matter path of its node, for its line in the file. */
  paths: string[];
}

type Node = { type?: unknown; content?: unknown; text?: unknown; marks?: unknown; attrs?: unknown };

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);
const children = (n: Node): Node[] => (Array.isArray(n.content) ? n.content.filter(isNode) : []);

/** Markdown for the nodes at front matter key `key` (a list of block nodes, or a `doc` node). */
export function richTextToMarkdown(value: unknown, key: string): RichMarkdown | undefined {
  const blocks = Array.isArray(value) ? value : isNode(value) && Array.isArray(value.content) ? value.content : undefined;
  if (!blocks) return undefined;
  const base = Array.isArray(value) ? key : `${key}.content`;
  const out: RichMarkdown = { text: '', paths: [] };
  const lines: string[] = [];
  const push = (text: string, path: string) => {
    lines.push(text.replace(/\n/g, ' '));
    out.paths.push(path);
  };
  const block = (node: Node, path: string, indent: string) => {
    const type = String(node.type ?? '');
    if (type === 'paragraph' || type === 'heading') {
      const rows = inlineRows(node, path);
      const level = type === 'heading' ? Math.min(6, Math.max(1, Number((node.attrs as { level?: unknown } | undefined)?.level) || 2)) : undefined;
      if (level !== undefined) push(`${'#'.repeat(level)} ${rows.map((r) => r.text).join(' ').trim()}`, rows[0]?.path ?? path);
      else {
        // "**Programma**" then a line break and text: the editor's way of writing a heading.
        const first = rows[0];
        if (first && rows.length > 1 && /^\*\*[^*\d][^*]{0,60}\*\*$/.test(first.text.trim())) {
          push(`### ${first.text.trim().slice(2, -2)}`, first.path);
          push('', first.path);
          rows.shift();
        }
        // A line break in an editor is meant (one agenda item per line), not a wrapped line: each row stands alone.
        for (const r of rows) {
          if (r.text.trim() === '') continue;
          push(indent + r.text, r.path);
          push('', r.path);
        }
        lines.pop();
        out.paths.pop();
      }
      push('', path);
    } else if (type === 'bullet_list' || type === 'ordered_list') {
      children(node).forEach((item, i) => {
        const marker = type === 'bullet_list' ? '- ' : `${i + 1}. `;
        const itemPath = `${path}.content.${i}`;
        const start = lines.length;
        children(item).forEach((child, j) => block(child, `${itemPath}.content.${j}`, indent + '  '));
        // The item's first line carries its marker; its blank separators are dropped, so the list stays tight.
        const own = lines.splice(start).map((text, k) => ({ text, path: out.paths[start + k]! }));
        out.paths.splice(start);
        own.filter((l) => l.text.trim() !== '').forEach((l, k) => push(k === 0 ? `${indent}${marker}${l.text.trim()}` : l.text, l.path));
      });
      push('', path);
    } else if (type === 'blockquote') {
      children(node).forEach((child, j) => block(child, `${path}.content.${j}`, `${indent}> `));
    } else if (type === 'horizontal_rule') {
      push('---', path);
      push('', path);
    }
    // Other nodes (Statamic "sets": images, embeds) are not text.
  };
  blocks.forEach((node, i) => {
    if (isNode(node)) block(node, `${base}.${i}`, '');
  });
  out.text = lines.join('\n');
  return out;
}

/** A paragraph's text nodes as Markdown, one row per `hard_break`. */
function inlineRows(node: Node, path: string): { text: string; path: string }[] {
  const rows: { text: string; path: string }[] = [];
  let text = '';
  let rowPath: string | undefined;
  children(node).forEach((child, i) => {
    const childPath = `${path}.content.${i}`;
    if (child.type === 'hard_break') {
      rows.push({ text, path: rowPath ?? childPath });
      text = '';
      rowPath = undefined;
      return;
    }
    if (typeof child.text !== 'string') return;
    rowPath ??= `${childPath}.text`;
    text += marked(child.text.replace(/\u00a0/g, ' '), Array.isArray(child.marks) ? child.marks.filter(isNode) : []);
  });
  rows.push({ text, path: rowPath ?? path });
  return rows;
}

function marked(text: string, marks: Node[]): string {
  let result = text;
  const lead = /^\s*/.exec(result)![0];
  const trail = /\s*$/.exec(result)![0];
  let core = result.trim();
  if (core === '') return result;
  for (const m of marks) {
    if (m.type === 'bold') core = `**${core}**`;
    else if (m.type === 'italic') core = `_${core}_`;
    else if (m.type === 'link') {
      const href = (m.attrs as { href?: unknown } | undefined)?.href;
      if (typeof href === 'string' && href) core = `[${core.replace(/[[\]]/g, '')}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
    }
  }
  result = lead + core + trail;
  return result;
}
