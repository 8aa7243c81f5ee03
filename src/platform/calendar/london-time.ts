// Instants as people in England read them: "15 July 2025 at 1:05 pm", in London time whatever the server's zone.
// The hour cycle is named: with `hour12: true`, Node 20's ICU writes midday as "0:00 pm" for en-GB.
export const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12',
});

/** A wall-clock time in London as an instant, whatever the server's time zone or the season. */
export function londonToInstant(year: number, month: number, day: number, minutes: number): Date {
  const guess = utc(year, month, day, minutes);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asLondon = utc(get('year'), get('month'), get('day'), get('hour') * 60 + get('minute'));
  return new Date(guess - (asLondon - guess));
}

// setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto the 1900s.
const utc = (year: number, month: number, day: number, minutes: number) => new Date(0).setUTCFullYear(year, month - 1, day) + minutes * 60_000;
