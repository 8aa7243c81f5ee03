// How chronology entries read: detail lines and links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readChronologyQuery } from '../../src/chronology/chronology.ts';
import { eventDetailLines, eventLink } from '../../src/chronology/view.ts';

test('a decision shows its rationale, why not referring and its tasks, not its outcome code', () => {
  const lines = eventDetailLines({ type: 'decision', detail: { outcome: 'monitor', rationale: 'R', reasonsNotReferring: 'N', tasks: [{ title: 'Review in 4 weeks', dueDate: '2026-04-24' }] } });
  assert.deepEqual(lines, [
    { label: 'Rationale', text: 'R' },
    { label: 'Why not referring', text: 'N' },
    { label: 'Follow-up tasks', text: 'Review in 4 weeks (due 2026-04-24)' },
  ]);
  assert.deepEqual(eventDetailLines({ type: 'task', detail: { outcome: 'Done it' } }), [{ label: 'Outcome', text: 'Done it' }]);
});

test('links go to a decision for anyone, to triage only for those who triage', () => {
  assert.equal(eventLink({ source_type: 'decision', source_id: 'd1' }, false), '/decisions/d1');
  assert.equal(eventLink({ source_type: 'concern', source_id: 'c1' }, false), null);
  assert.equal(eventLink({ source_type: 'concern', source_id: 'c1' }, true), '/triage/c1');
});

test('the filter reads several types, and names a bad date or an unknown type', () => {
  const ok = readChronologyQuery({ type: ['decision', 'task'], from: '2026-01-01', to: '2026-02-01' });
  assert.deepEqual(ok.query, { types: ['decision', 'task'], from: '2026-01-01', to: '2026-02-01' });
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(readChronologyQuery({ type: 'decision,task' }).query.types, ['decision', 'task']);
  const bad = readChronologyQuery({ type: 'gossip', from: '2026-02-30', to: '2026-01-01' });
  assert.deepEqual(bad.problems.map((p) => p.field), ['type', 'from']);
  assert.deepEqual(readChronologyQuery({ from: '2026-02-01', to: '2026-01-01' }).problems.map((p) => p.field), ['to']);
});
