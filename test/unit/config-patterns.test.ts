// The pattern warning's thresholds are settings of the service, read and checked at start-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { PATTERN_SETTINGS } from '../../src/concerns/patterns.ts';

test('by default, three concerns in 90 days and a household window of 365 days', () => {
  assert.deepEqual(loadConfig({}).patterns, { recentConcerns: 3, windowDays: 90, householdWindowDays: 365 });
  assert.deepEqual(loadConfig({}).patterns, { ...PATTERN_SETTINGS });
});

test('read from PATTERN_CONCERNS, PATTERN_WINDOW_DAYS and PATTERN_HOUSEHOLD_WINDOW_DAYS', () => {
  const c = loadConfig({ PATTERN_CONCERNS: '2', PATTERN_WINDOW_DAYS: '30', PATTERN_HOUSEHOLD_WINDOW_DAYS: '180' });
  assert.deepEqual(c.patterns, { recentConcerns: 2, windowDays: 30, householdWindowDays: 180 });
});

test('bad values stop the service starting, naming the setting and what is wrong', () => {
  const refused = (env: Record<string, string>, message: RegExp) => {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message));
  };
  refused({ PATTERN_CONCERNS: 'three' }, /PATTERN_CONCERNS: must be a whole number/);
  refused({ PATTERN_CONCERNS: '2.5' }, /PATTERN_CONCERNS: must be a whole number/);
  refused({ PATTERN_CONCERNS: '1' }, /PATTERN_CONCERNS: must be at least 2/);
  refused({ PATTERN_WINDOW_DAYS: '0' }, /PATTERN_WINDOW_DAYS: must be between 1 and 3650 days/);
  refused({ PATTERN_WINDOW_DAYS: 'ninety' }, /PATTERN_WINDOW_DAYS: must be a whole number of days/);
  refused({ PATTERN_HOUSEHOLD_WINDOW_DAYS: '-5' }, /PATTERN_HOUSEHOLD_WINDOW_DAYS: must be between 1 and 3650 days/);
  refused({ PATTERN_HOUSEHOLD_WINDOW_DAYS: '99999' }, /PATTERN_HOUSEHOLD_WINDOW_DAYS/);
});

test('a setting left blank is unset: PORT= is the default port, not a random one', () => {
  const c = loadConfig({ PORT: '', PATTERN_CONCERNS: ' ', SESSION_IDLE_MINUTES: '' });
  assert.equal(c.port, 3000);
  assert.equal(c.publicUrl, 'http://localhost:3000');
  assert.equal(c.patterns.recentConcerns, 3);
  assert.equal(c.sessionIdleMinutes, 30);
});
