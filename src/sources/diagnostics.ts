import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { ZodIssue } from 'zod';
import { editDistance } from '../catalogue/catalogue';

export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem in the community's data, said so an organizer can fix it without reading code:
 * which file (relative to the data dir), which line (front matter included) and what to do.
 */
export interface Diagnostic {
  file: string;
  line?: number;
  severity: Severity;
  message: string;
}

/** `events/x.md:12: warning: ...`, the shape editors and CI logs link to. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}${d.line !== undefined ? `:${d.line}` : ''}: ${d.severity}: ${d.message}`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** A parsed YAML text that remembers where each node came from, so problems can name their line. */
export interface LocatedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Lines before the YAML text in its file (front matter starts after the opening `---`). */
  lineOffset: number;
}

export function parseLocatedYaml(text: string, lineOffset = 0): LocatedYaml {
  const lineCounter = new LineCounter();
  // Core schema (YAML 1.2): `date: 2024-07-10T18:30:00+02:00` and `time: 19:10` stay strings, so the wall
  // time the organizer typed survives instead of becoming a Date or a sexagesimal number.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  return { doc, lineCounter, lineOffset };
}

export function lineAt(located: LocatedYaml, offset: number): number {
  return located.lineCounter.linePos(offset).line + located.lineOffset;
}

/** YAML syntax errors (and duplicate keys), each at the line the yaml library points to. */
export function yamlErrorDiagnostics(located: LocatedYaml, file: string, what: string): Diagnostic[] {
  return located.doc.errors.map((error: YAMLError) => ({
    file,
    line: lineAt(located, error.pos[0]),
    severity: 'error' as const,
    message: `${what} is not valid YAML: ${firstLine(error.message)}. ${yamlHint(error)}`,
  }));
}

function yamlHint(error: YAMLError): string {
  if (error.code === 'DUPLICATE_KEY') return 'Remove one of the two keys.';
  if (error.code === 'TAB_AS_INDENT') return 'Indent with spaces, not tabs.';
  return 'Check indentation, colons and quotes on this line (quote values that contain ": " or start with special characters).';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

/** The line of the key a zod issue is about; the nearest existing parent when the key itself is missing. */
export function issueLine(located: LocatedYaml, path: readonly (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = nodeAt(located.doc, path.slice(0, depth));
    if (node?.range) return lineAt(located, node.range[0]);
  }
  return undefined;
}

/** The key node for map entries (its line is where the organizer typed the key), else the value node. */
function nodeAt(doc: Document.Parsed, path: readonly (string | number)[]): Node | undefined {
  let current: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(current)) {
      const pair = current.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (!pair) return undefined;
      keyNode = pair.key;
      current = pair.value;
    } else if (isSeq(current) && typeof segment === 'number') {
      current = current.items[segment];
    } else {
      return undefined;
    }
  }
  const found = (keyNode ?? current) as Node | undefined;
  return found && typeof found === 'object' && 'range' in found ? found : undefined;
}

/** zod issues as diagnostics at the offending key, with the key path spelled the way it appears in the file. */
export function zodIssueDiagnostics(issues: readonly ZodIssue[], located: LocatedYaml, file: string, suggestions: readonly string[] = []): Diagnostic[] {
  return issues.flatMap((issue): Diagnostic[] => {
    if (issue.code === 'unrecognized_keys') {
      // One diagnostic per key, at the key's own line, with the key it was probably meant to be.
      return issue.keys.map((key) => {
        const near = closestKey(key, suggestions);
        const where = issue.path.length > 0 ? ` in \`${keyPath(issue.path)}\`` : '';
        return { file, line: issueLine(located, [...issue.path, key]), severity: 'error', message: `Unknown key \`${key}\`${where}: ${near ? `did you mean \`${near}\`?` : 'check the spelling or remove it.'}` };
      });
    }
    return [{ file, line: issueLine(located, issue.path), severity: 'error', message: `${issue.path.length > 0 ? `\`${keyPath(issue.path)}\`: ` : ''}${explainIssue(issue)}` }];
  });
}

/** zod's defaults ("Required", "Expected string, received number") rephrased as what to change. */
function explainIssue(issue: ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.received === 'undefined') return `missing: add it (${describeType(issue.expected)}).`;
    return `should be ${describeType(issue.expected)}, not ${describeType(issue.received)}. Quote text values, e.g. "19:10".`;
  }
  if (issue.code === 'invalid_enum_value') return `"${String(issue.received)}" is not allowed: use one of ${issue.options.map((o) => `"${String(o)}"`).join(', ')}.`;
  return issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
}

function describeType(type: string): string {
  const names: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping of keys', null: 'empty', undefined: 'nothing' };
  return names[type] ?? type;
}

export function keyPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The known key an unknown one was probably meant to be ("evenDate" -> "eventDate"), if any is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const distance = editDistance(k.toLowerCase(), key.toLowerCase());
    if (distance < bestDistance && distance <= (k.length > 5 ? 2 : 1)) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}

/** Real event files are a few KB; anything this big is a mistake (a pasted log, a binary) and is refused unread. */
export const MAX_FILE_CHARS = 512 * 1024;

export function tooLarge(text: string, file: string): Diagnostic | undefined {
  if (text.length <= MAX_FILE_CHARS) return undefined;
  return { file, line: 1, severity: 'error', message: `This file is ${Math.round(text.length / 1024)} KB; event files are a few KB (limit ${MAX_FILE_CHARS / 1024} KB). Check that nothing was pasted into it by mistake.` };
}

/**
 * The YAML document as plain data. Aliases are where toJS can fail (an alias before its anchor, or an alias
 * bomb past the library's limit), so those failures become a diagnostic at the first alias.
 */
export function yamlToJs(located: LocatedYaml, file: string, what: string): { value?: unknown; diagnostics: Diagnostic[] } {
  try {
    return { value: located.doc.toJS({ maxAliasCount: 100 }), diagnostics: [] };
  } catch (error) {
    let aliasOffset: number | undefined;
    visit(located.doc, {
      Alias(_, node) {
        aliasOffset ??= node.range?.[0];
        return visit.BREAK;
      },
    });
    return {
      diagnostics: [{ file, line: aliasOffset === undefined ? undefined : lineAt(located, aliasOffset), severity: 'error', message: `${what} uses a YAML alias (*name) that cannot be read: ${error instanceof Error ? error.message : String(error)}. Write the value out instead of using anchors and aliases.` }],
    };
  }
}
