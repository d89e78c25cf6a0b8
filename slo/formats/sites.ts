// Where each SLI query of an SLO is written: the readers (Sloth, OpenSLO, and slo/formats/validate.ts for the
// harness's own format) note a locator per query, so a check that runs on the model (`harness slo validate`:
// every query parses, every query reads its window) can name the file, line and field of the query it is
// about, wherever the query was written (an SLO document, an SLI object in another file of the folder).
// Kept beside the model, not in it: the model stays the same for every format, and an SLO built by hand has none.
import type { Slo } from '../model/model.ts';
import type { ConfigIssue } from '../spec/parse.ts';

/** Which query of an SLI: a ratio's good, bad or total, or a threshold's query. */
export type QueryRole = 'good' | 'bad' | 'total' | 'query';

/** A located issue at one query of an SLO, for each query the file wrote. */
export type QuerySites = Partial<Record<QueryRole, (message: string) => ConfigIssue>>;

const sites = new WeakMap<Slo, QuerySites>();

/** Notes where an SLO's queries are written; returns the SLO. */
export function withQuerySites(slo: Slo, found: QuerySites): Slo {
  sites.set(slo, found);
  return slo;
}

/** Where an SLO's queries are written, when the reader noted it. */
export function querySitesOf(slo: Slo): QuerySites | undefined {
  return sites.get(slo);
}
