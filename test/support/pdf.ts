// Reading back the text of the PDFs Continuum makes, so tests can check what a reader would see.
import { inflateSync } from 'node:zlib';

// pdfkit writes standard-font text in WinAnsi; these are the code points it uses beyond Latin-1.
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—' };
const decodeWinAnsi = (bytes: Buffer) => [...bytes].map((b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');

/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms). */
const RTL = '\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc';
const isRtl = new RegExp(`[${RTL}]`);

/** Glyphs drawn left to right → reading order: each run of right-to-left glyphs (and the spaces within it) reversed. */
function readingOrder(glyphs: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < glyphs.length;) {
    if (!isRtl.test(glyphs[i]!)) { out.push(glyphs[i++]!); continue; }
    let end = i;
    for (let j = i; j < glyphs.length && (isRtl.test(glyphs[j]!) || /^\s*$/.test(glyphs[j]!)); j++) if (isRtl.test(glyphs[j]!)) end = j;
    out.push(...glyphs.slice(i, end + 1).reverse());
    i = end + 1;
  }
  return out.join('');
}

interface PdfObject { dict: string; data?: Buffer }

function objects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  for (const m of raw.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endobj', start);
    const body = raw.slice(start, end);
    const s = body.search(/stream\r?\n/);
    if (s < 0) { out.set(Number(m[1]), { dict: body }); continue; }
    const dict = body.slice(0, s);
    const dataStart = start + s + body.slice(s).match(/^stream\r?\n/)![0].length;
    let data = pdf.subarray(dataStart, raw.lastIndexOf('endstream', end));
    if (/FlateDecode/.test(dict)) {
      try { data = inflateSync(data); } catch { /* leave as is */ }
    }
    out.set(Number(m[1]), { dict, data });
  }
  return out;
}

/** UTF-16BE hex, as in a ToUnicode map. */
const hexToText = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');

/** A ToUnicode CMap (bfchar and bfrange entries) as code → text. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g)) map.set(parseInt(e[1]!, 16), hexToText(e[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]*>)/g)) {
      const lo = parseInt(e[1]!, 16);
      const hi = parseInt(e[2]!, 16);
      if (e[3]!.startsWith('[')) {
        [...e[3]!.matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach((d, i) => map.set(lo + i, hexToText(d[1]!)));
      } else {
        const first = parseInt(e[3]!.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCodePoint(first + c - lo));
      }
    }
  }
  return map;
}

/**
 * The text shown in a PDF made by pdfkit, one line per TJ: inflate each content stream and decode its TJ strings
 * with the font in use — an embedded font's ToUnicode map (two-byte glyph codes), or WinAnsi for a standard font.
 * Runs of right-to-left letters are drawn in visual order; they are turned back into reading order, as a viewer
 * copying the text would.
 */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  // Font resource names (pdfkit numbers them across the whole document: /F1, /F2, …) → their ToUnicode map.
  const fonts = new Map<string, Map<number, string> | null>();
  for (const { dict } of objs.values()) {
    for (const res of dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const f of res[1]!.matchAll(/\/([^\s/<>]+)\s+(\d+) 0 R/g)) {
        const font = objs.get(Number(f[2]));
        const tu = font?.dict.match(/\/ToUnicode (\d+) 0 R/);
        const cmap = tu ? objs.get(Number(tu[1]))?.data : undefined;
        fonts.set(f[1]!, cmap ? parseToUnicode(cmap.toString('latin1')) : null);
      }
    }
  }
  const lines: string[] = [];
  for (const { dict, data } of objs.values()) {
    if (!data || /\/(Subtype|Type)\s*\/(Image|XObject|FontFile|XRef|ObjStm|Metadata)|\/Length1|begincmap/.test(dict)) continue;
    const content = data.toString('latin1');
    if (!/\bTJ\b/.test(content)) continue;
    let font: Map<number, string> | null = null;
    for (const op of content.matchAll(/\/([^\s/<>[\]]+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ/g)) {
      if (op[1] !== undefined) { font = fonts.get(op[1]) ?? null; continue; }
      const glyphs = [...op[2]!.matchAll(/<([0-9a-fA-F]*)>/g)].flatMap((h) => {
        const cmap = font;
        if (!cmap) return [...decodeWinAnsi(Buffer.from(h[1]!, 'hex'))];
        return (h[1]!.match(/.{4}/g) ?? []).map((c) => cmap.get(parseInt(c, 16)) ?? '\ufffd');
      });
      lines.push(readingOrder(glyphs));
    }
  }
  return lines.join('\n');
}
