// Which format a config file is written in, from its first document's `version` or `apiVersion`:
// `version: 1` is the harness's own, `version: prometheus/v1` or `apiVersion: sloth.slok.dev/v1` is Sloth,
// `apiVersion: openslo/v1` is OpenSLO. One entry point for every reader, so the CLI, `verify` and `load` all
// accept all three.
import type { SloFormat, SloModel } from '../model/model.ts';
import { type ConfigIssue, SpecError } from '../spec/parse.ts';
import { firstDocumentData, listItems, parseDocuments, type YamlDocument } from './documents.ts';
import { isOpenSloDocument, readOpenSlo } from './openslo.ts';
import { isSlothDocument, readSloth } from './sloth.ts';

/** The format of a config text; `harness` for anything else, whose parser then says what is wrong. */
export function detectFormat(text: string): SloFormat {
  // The first document alone decides: a problem in a later one is the detected format's to report, located.
  const first = firstDocumentData(text);
  if (isSlothDocument(first)) return 'sloth';
  if (isOpenSloDocument(first)) return 'openslo';
  // The OpenSLO SDK's form: every object an item of one YAML list (documents.ts listItems).
  if (Array.isArray(first) && isOpenSloDocument(first[0])) return 'openslo';
  return 'harness';
}

/** Reads a Sloth or OpenSLO text into the model; `folder` holds the documents of the files beside it. */
export function readForeign(
  text: string,
  file: string,
  folder: YamlDocument[] = [],
): { model: SloModel; warnings: ConfigIssue[] } {
  const parsed = parseDocuments(text, file);
  const format = isSlothDocument(parsed[0]?.data) ? 'sloth' : 'openslo';
  // A list of objects is OpenSLO's (the SDK writes one); Sloth's documents are never lists.
  const docs = format === 'openslo' ? listItems(parsed) : parsed;
  // Every document of a file must speak the same format: a mix would give rules from two conventions.
  const stray = docs.find((doc) => (format === 'sloth' ? !isSlothDocument(doc.data) : !isOpenSloDocument(doc.data)));
  if (stray) {
    const expected = format === 'sloth' ? 'a Sloth document (version: prometheus/v1)' : 'an OpenSLO v1 document';
    const where =
      stray.item === undefined
        ? `document ${stray.index + 1}`
        : `item ${stray.item + 1} of document ${stray.index + 1}`;
    throw new SpecError([stray.issueAt([], `${where} is not ${expected} like the first`)]);
  }
  return format === 'sloth' ? readSloth(docs, file) : readOpenSlo(docs, file, folder);
}
