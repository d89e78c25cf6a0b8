// Entry point of the export module: formats, content types, file names and one render call.

import { renderCsv } from './csv.ts';
import { type PdfOptions, renderPdf } from './pdf.ts';
import type { ExportTable } from './table.ts';
import { renderXlsx } from './xlsx.ts';

export type { PdfOptions } from './pdf.ts';
export type { ExportTable, RenderOptions } from './table.ts';

/** Every file format the export endpoints offer. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;

/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The Content-Type header for each format. */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** True when `value` names an export format (for narrowing a query parameter). */
export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Renders the table in the given format. */
export async function renderExport(table: ExportTable, format: ExportFormat, opts: PdfOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return renderCsv(table);
    case 'xlsx':
      return renderXlsx(table, opts);
    case 'pdf':
      return renderPdf(table, opts);
  }
}

/**
 * A download file name such as 'quotes-2026-10-30.csv'. Only ASCII letters, digits, '.', '_' and '-'
 * survive (anything else becomes '-', runs collapse, ends are trimmed), so the name is safe in a
 * Content-Disposition header and on every file system; an empty result becomes 'export'.
 */
export function exportFileName(fileBase: string, format: ExportFormat): string {
  const safe = fileBase
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 100)
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${safe === '' ? 'export' : safe}.${format}`;
}
