import assert from 'node:assert/strict';
import { test } from 'node:test';
import { londonDateTime, londonToInstant } from '../../src/platform/calendar/london-time.ts';

test('instants read in London time, with midday and midnight as 12 o’clock on every Node release', () => {
  assert.equal(londonDateTime.format(new Date('2025-12-15T12:00:00Z')), '15 December 2025 at 12:00 pm');
  assert.equal(londonDateTime.format(new Date('2025-12-15T00:30:00Z')), '15 December 2025 at 12:30 am');
  assert.equal(londonDateTime.format(new Date('2025-12-15T13:05:00Z')), '15 December 2025 at 1:05 pm');
  // British Summer Time: 11:00 UTC is midday in London.
  assert.equal(londonDateTime.format(new Date('2025-07-15T11:00:00Z')), '15 July 2025 at 12:00 pm');
});

test('a London wall-clock time is the instant it names, in any year (years 0–99 are not moved to the 1900s)', () => {
  assert.equal(londonToInstant(2025, 7, 15, 12 * 60).toISOString(), '2025-07-15T11:00:00.000Z');
  assert.equal(londonToInstant(2025, 12, 15, 12 * 60).toISOString(), '2025-12-15T12:00:00.000Z');
  assert.equal(londonToInstant(26, 3, 27, 12 * 60).getUTCFullYear(), 26);
});
