import { statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { FALLBACK_RULES, RULES_FILE, type AnnouncementRules } from './rules';
import { loadAnnouncementRules } from './rules-file';

/**
 * The rules in <dataDir>/announcements.yml as a getter for the Scheduler and /announce: it re-reads the file
 * when it changes (so organizers edit rules without a restart) and keeps the last good rules when an edit
 * breaks it, logging each diagnostic with its line once.
 */
export function loadRules(dataDir: string, log: Logger): () => AnnouncementRules {
  const file = path.join(dataDir, RULES_FILE);
  let current = FALLBACK_RULES;
  let seenVersion: string | undefined;
  const refresh = () => {
    const version = fileVersion(file);
    if (version === seenVersion) return;
    seenVersion = version;
    if (version === 'missing') {
      // A community without the file has chosen no automatic posts; that is a setting, not an error.
      current = FALLBACK_RULES;
      log.warn({ file: RULES_FILE }, `no ${RULES_FILE} in the data folder: no automatic announcements or reminders`);
      return;
    }
    const { rules, diagnostics } = loadAnnouncementRules(file, RULES_FILE);
    for (const d of diagnostics) log[d.severity === 'error' ? 'error' : 'warn']({ file: d.file, line: d.line }, `${d.file}:${d.line ?? '-'}: ${d.message}`);
    if (rules) {
      current = rules;
      log.info({ file: RULES_FILE, rules: rules.rules.map((r) => r.id) }, 'announcement rules loaded');
    } else {
      log.error({ file: RULES_FILE }, 'announcement rules not loaded; keeping the previous ones');
    }
  };
  refresh();
  return () => {
    refresh();
    return current;
  };
}

function fileVersion(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}
