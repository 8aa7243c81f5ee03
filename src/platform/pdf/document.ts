// Accessible-as-possible PDFs made in-process with pdfkit: tagged (headings, paragraphs and lists in a
// structure tree), the title shown by the viewer, the language set — so screen readers can follow them.
// Text is set in DejaVu Sans, embedded (pdfkit subsets it to the glyphs used, with a ToUnicode map), so names
// and notes in Polish, Romanian, Turkish, Cyrillic, Greek, Arabic and more are drawn and read back as written:
// the standard Helvetica has only WinAnsi and scrambles anything above U+00FF. Known gaps: pdfkit has no bidi
// algorithm, so a single Arabic or Hebrew word is drawn right but several right-to-left words on one line come
// out in the wrong order, and punctuation beside a right-to-left word can land on its other side; DejaVu Sans
// has no Indic or CJK glyphs (Bengali, say), which show as empty boxes. The files are not claimed to be PDF/UA.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export interface PdfMetadata {
  title: string;
  subject?: string;
  keywords?: string;
  generatedAt?: Date;
  /** Tests read the text back more easily from uncompressed streams. */
  compress?: boolean;
}

export interface TextOptions {
  bold?: boolean;
  small?: boolean;
}

export interface AccessiblePdf {
  doc: PDFKit.PDFDocument;
  /** `size` overrides the level's type size, e.g. for many compact entries that are still H2s. */
  heading(level: 1 | 2 | 3, text: string, opts?: { size?: number }): void;
  para(text: string, opts?: TextOptions): void;
  list(items: string[]): void;
  /** Close the structure tree and the document; resolves with the file's bytes. */
  finish(): Promise<Buffer>;
}

const INK = '#0b0c0c';
const SECONDARY = '#484949';
const HEADING_SIZES = { 1: 20, 2: 15, 3: 12 } as const;

// Resolved through the package (dejavu-fonts-ttf, Bitstream Vera / public-domain licence), so from any working directory.
const require = createRequire(import.meta.url);
const REGULAR = 'Continuum Sans';
const BOLD = 'Continuum Sans Bold';
const FONT_FILES = {
  [REGULAR]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  [BOLD]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

export function createAccessiblePdf(meta: PdfMetadata): AccessiblePdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    compress: meta.compress ?? true,
    // The default font too, so the standard Helvetica is never loaded or written into the file.
    font: FONT_FILES[REGULAR],
    info: {
      Title: meta.title,
      Author: 'Continuum',
      Creator: 'Continuum',
      ...(meta.subject ? { Subject: meta.subject } : {}),
      ...(meta.keywords ? { Keywords: meta.keywords } : {}),
      CreationDate: meta.generatedAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, FONT_FILES[REGULAR]);
  doc.registerFont(BOLD, FONT_FILES[BOLD]);
  const root = doc.struct('Document');
  doc.addStructure(root);

  return {
    doc,
    heading(level, text, opts = {}) {
      doc.moveDown(level === 1 ? 0 : 0.6);
      doc.font(BOLD).fontSize(opts.size ?? HEADING_SIZES[level]).fillColor(INK).text(text, { structParent: root, structType: `H${level}` });
      doc.moveDown(0.2);
    },
    para(text, opts = {}) {
      doc.font(opts.bold ? BOLD : REGULAR).fontSize(opts.small ? 9.5 : 11).fillColor(opts.small ? SECONDARY : INK)
        .text(text, { structParent: root, structType: 'P' });
      doc.moveDown(0.35);
    },
    list(items) {
      if (items.length === 0) return;
      const l = doc.struct('L');
      root.add(l);
      doc.font(REGULAR).fontSize(11).fillColor(INK).list(items, { structParent: l, bulletRadius: 2 });
      l.end();
      doc.moveDown(0.35);
    },
    finish() {
      root.end();
      doc.end();
      return done;
    },
  };
}
