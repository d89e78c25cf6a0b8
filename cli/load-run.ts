// A load run as `harness load` and verify's load stage run it: judged (load/run.ts), then its files written
// (report/load/publish.ts). The domain returns data; this layer, above both, joins them.
import { judgeLoadRun, type LoadResult, type RunLoadOptions } from '../load/run.ts';
import { publishLoadRun } from '../report/load/publish.ts';

/** Runs one load profile and writes its reports; never throws for a bad run, only for bad options. */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const judged = await judgeLoadRun(options);
  await publishLoadRun(judged);
  return judged.result;
}
