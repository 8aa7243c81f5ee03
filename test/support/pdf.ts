// Reading back the text of the PDFs Continuum makes, so tests can check what a reader would see.
import { inflateSync } from 'node:zlib';

/** The text shown in a PDF made by pdfkit with its standard fonts: inflate each stream, read the TJ strings. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  // pdfkit writes standard-font text in WinAnsi; these are the code points it uses beyond Latin-1.
  const winAnsi: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—' };
  const decodeWinAnsi = (bytes: Buffer) => [...bytes].map((b) => winAnsi[b] ?? String.fromCharCode(b)).join('');
  const lines: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    const dict = raw.slice(raw.lastIndexOf('<<', m.index), m.index);
    let data = pdf.subarray(start, end);
    if (/FlateDecode/.test(dict)) {
      try { data = inflateSync(data); } catch { continue; }
    }
    for (const tj of data.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeWinAnsi(Buffer.from(h[1]!, 'hex'))).join(''));
    }
  }
  return lines.join('\n');
}
