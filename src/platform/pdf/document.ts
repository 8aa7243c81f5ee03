// Accessible-as-possible PDFs made in-process with pdfkit: tagged (headings, paragraphs and lists in a
// structure tree), the title shown by the viewer, the language set — so screen readers can follow them.
// The standard Helvetica font is not embedded, so the files are not claimed to be PDF/UA.
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

export function createAccessiblePdf(meta: PdfMetadata): AccessiblePdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    compress: meta.compress ?? true,
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
  const root = doc.struct('Document');
  doc.addStructure(root);

  return {
    doc,
    heading(level, text, opts = {}) {
      doc.moveDown(level === 1 ? 0 : 0.6);
      doc.font('Helvetica-Bold').fontSize(opts.size ?? HEADING_SIZES[level]).fillColor(INK).text(text, { structParent: root, structType: `H${level}` });
      doc.moveDown(0.2);
    },
    para(text, opts = {}) {
      doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(opts.small ? 9.5 : 11).fillColor(opts.small ? SECONDARY : INK)
        .text(text, { structParent: root, structType: 'P' });
      doc.moveDown(0.35);
    },
    list(items) {
      if (items.length === 0) return;
      const l = doc.struct('L');
      root.add(l);
      doc.font('Helvetica').fontSize(11).fillColor(INK).list(items, { structParent: l, bulletRadius: 2 });
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
