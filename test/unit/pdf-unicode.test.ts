// PDFs keep names and notes written in any script: text beyond Latin-1 (Polish, Cyrillic, Arabic) reads back as written.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderChronologyPdf } from '../../src/chronology/pdf.ts';
import type { EventRow } from '../../src/chronology/store.ts';
import { createAccessiblePdf } from '../../src/platform/pdf/document.ts';
import { pdfText } from '../support/pdf.ts';

const MIXED = 'Łucja Wiśniewska — Дмитрий — محمد';

describe('PDF text beyond Latin-1', () => {
  for (const compress of [false, true]) {
    test(`reads back as written in headings, paragraphs (regular and bold) and lists (compress: ${compress})`, async () => {
      const pdf = createAccessiblePdf({ title: MIXED, compress });
      pdf.heading(1, MIXED);
      pdf.para(MIXED);
      pdf.para(`Bold: ${MIXED}`, { bold: true });
      pdf.list([`Item: ${MIXED}`, 'Ștefan Țurcanu, Ayşe Yılmaz, Ğ ğ İ ı Ş ş']);
      const bytes = await pdf.finish();
      const lines = pdfText(bytes).split('\n');
      assert.ok(lines.includes(MIXED), lines.join('\n'));
      assert.ok(lines.includes(`Bold: ${MIXED}`), lines.join('\n'));
      assert.ok(lines.some((l) => l.includes(`Item: ${MIXED}`)), lines.join('\n'));
      assert.ok(lines.some((l) => l.includes('Ștefan Țurcanu, Ayşe Yılmaz, Ğ ğ İ ı Ş ş')), lines.join('\n'));
      // Still tagged, with the language set.
      const raw = bytes.toString('latin1');
      assert.match(raw, /\/StructTreeRoot/);
      assert.match(raw, /\/MarkInfo/);
      assert.match(raw, /\/Lang \(en-GB\)/);
      // The font is embedded (subset) rather than the standard, WinAnsi-only Helvetica.
      assert.doesNotMatch(raw, /\/BaseFont \/Helvetica/);
      assert.match(raw, /\/FontFile2/);
    });
  }

  test('a chronology for a child with a Polish name and a Cyrillic and Arabic summary', async () => {
    const event: EventRow = {
      id: 1, type: 'significant_event', occurred_at: new Date('2026-01-05T10:00:00Z'), recorded_at: new Date('2026-01-05T10:00:00Z'),
      recorded_by_name: 'Zofia Łęcka', summary: `Visit with ${MIXED}`, detail: {}, source_type: null, source_id: null, significant: true, restricted: false,
    };
    const bytes = await renderChronologyPdf({
      child: { id: 'c1', first_name: 'Łucja', last_name: 'Wiśniewska', known_as: null, date_of_birth: '2019-03-02', expected_due_date: null, organisation_ids: ['o1'] },
      events: [event], query: { types: [] }, truncated: false, generatedAt: new Date('2026-01-06T09:00:00Z'),
    });
    const text = pdfText(bytes);
    assert.match(text, /Chronology for Łucja Wiśniewska/);
    assert.ok(text.includes(`Visit with ${MIXED}`), text);
    assert.match(text, /Recorded by Zofia Łęcka/);
    assert.ok(bytes.length < 200_000, `${bytes.length} bytes`);
  });
});
