/**
 * Files that posts point to by id (Hugo `data/speakers/<id>.yaml`, `data/locations/<id>.yaml`): read once per load
 * from the folders the profile names, so `speaker_id: jarek-potiuk` or `place: indiebi` show the name a person
 * would read. An id with no file stays as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './diagnostics';
import { firstValue, type Profile } from './profile';

export interface Lookups {
  speakers: ReadonlyMap<string, string>;
  venues: ReadonlyMap<string, string>;
}

export const NO_LOOKUPS: Lookups = { speakers: new Map(), venues: new Map() };

/** The lookups of `profile` under the events folder `dir`; files that cannot be read are warnings with their name. */
export function readLookups(dir: string, prefix: string, profile: Profile, diagnostics: Diagnostic[]): Lookups {
  const read = (kind: 'speakers' | 'venues'): Map<string, string> => {
    const spec = profile.lookups[kind];
    const names = new Map<string, string>();
    if (!spec) return names;
    let files: string[];
    try {
      files = readdirSync(path.join(dir, spec.folder)).filter((f) => /\.(?:ya?ml|json)$/i.test(f)).sort();
    } catch {
      diagnostics.push({ file: `${prefix}/${spec.folder}`, severity: 'warning', message: `The profile's ${kind} lookup folder ${spec.folder}/ cannot be read: ids stay as written.` });
      return names;
    }
    for (const f of files) {
      const file = `${prefix}/${spec.folder}/${f}`;
      try {
        const data: unknown = parseYaml(readFileSync(path.join(dir, spec.folder, f), 'utf8'));
        const name = firstValue(data, spec.name)?.value;
        if (typeof name === 'string' && name.trim()) names.set(f.replace(/\.[^.]+$/, ''), name.trim());
        else diagnostics.push({ file, severity: 'warning', message: `No ${spec.name.join(' or ')} in this file: the id ${f.replace(/\.[^.]+$/, '')} stays as written.` });
      } catch (error) {
        diagnostics.push({ file, severity: 'warning', message: `Cannot read this file (${(error as Error).message.split('\n')[0]}): the id stays as written.` });
      }
    }
    return names;
  };
  return { speakers: read('speakers'), venues: read('venues') };
}

/** A name for an id, or the text as written. */
export function resolveId(map: ReadonlyMap<string, string>, value: string): string {
  return map.get(value.trim()) ?? value;
}
