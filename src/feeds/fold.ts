/**
 * RFC 5545 3.1 line folding: at most 75 octets per line, continuation lines start with a space, never splitting
 * a UTF-8 sequence. Lines that already fit (most of them) are passed through untouched.
 */
export function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => (Buffer.byteLength(line) <= 75 ? line : foldLine(line)))
    .join('\r\n');
}

function foldLine(line: string): string {
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    octets += size;
    i += code > 0xffff ? 2 : 1;
  }
  parts.push(line.slice(start));
  return parts.join('\r\n ');
}
