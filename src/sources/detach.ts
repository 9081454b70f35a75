/**
 * A parsed post's strings are mostly slices of the file's text (V8 keeps a slice as a pointer into its parent),
 * so one short agenda title keeps the whole post in memory for as long as the event lives. This copies every
 * string held by plain objects and arrays of a parse result into a string of its own, so the file's text can go:
 * about 6 KB a post, 120 MB for a deployment of 20,000 posts. Class instances (dates, URLs) are left as they are.
 */
export function detachStrings<T>(value: T): T {
  const seen = new Set<object>();
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return node.length > 12 ? own(node) : node;
    if (!node || typeof node !== 'object' || seen.has(node)) return node;
    const proto = Object.getPrototypeOf(node) as unknown;
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return node;
    seen.add(node);
    if (Object.isFrozen(node)) return node;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const descriptor = Object.getOwnPropertyDescriptor(record, key);
      if (descriptor && 'value' in descriptor && descriptor.writable) record[key] = visit(descriptor.value);
    }
    return node;
  };
  return visit(value) as T;
}

/** A copy that shares no memory with the string it came from (strings of up to 12 characters are never slices). */
function own(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
