import type { Diagnostic } from '../sources/diagnostics';

/**
 * One diagnostic as a GitHub Actions workflow command, so `npm run validate -- --format github` in the website's
 * CI puts each problem on its file and line in the pull request. Escaping follows the runner's rules: `%`, CR
 * and LF in the message; also `,` and `:` in properties.
 */
export function githubAnnotation(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const properties = [`file=${property(d.file)}`, ...(d.line !== undefined ? [`line=${d.line}`] : []), 'title=sremuc-bot'];
  return `::${level} ${properties.join(',')}::${data(d.message)}`;
}

function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
