// Nunjucks with the GOV.UK Frontend templates. Templates are named from src/, e.g. "platform/auth/views/sign-in.njk".
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { londonDateTime } from '../calendar/london-time.ts';

const SRC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
export const GOVUK_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([SRC_DIR, GOVUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('dateTime', (value: Date | string | null | undefined) => (value ? londonDateTime.format(new Date(value)) : ''));
  env.addFilter('date', (value: Date | string | null | undefined) => {
    if (!value) return '';
    // A plain "YYYY-MM-DD" is a calendar date, not an instant: format it in UTC so it never shifts a day.
    const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
    return londonDate.format(d);
  });
  return env;
}
