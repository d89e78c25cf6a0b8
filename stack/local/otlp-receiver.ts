import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECEIVER_SCRIPT } from '../otlp/receiver.ts';
import type { ManagedProcess } from '../process.ts';
import { LocalServiceBuilder } from './local-process.ts';
import { StartedLocalService } from './started-service.ts';

/** The harness's OTLP/HTTP receiver (stack/otlp/receiver.ts) started as a child process. */
export interface StartedLocalOtlpReceiver extends AsyncDisposable {
  /** OTLP base URL for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:40126 (spans go to /v1/traces). */
  readonly url: string;
  readonly port: number;
  /** The run's spans, one JSON object a line (ReceivedSpan); removed with the work directory on stop. */
  readonly spansFile: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

class StartedReceiver extends StartedLocalService implements StartedLocalOtlpReceiver {
  readonly spansFile: string;
  constructor(...args: [...ConstructorParameters<typeof StartedLocalService>, string]) {
    const [serverProcess, port, url, workDir, spansFile] = args;
    super(serverProcess, port, url, workDir);
    this.spansFile = spansFile;
  }
}

/**
 * Builder for the run's trace receiver: no OpenTelemetry Collector exists on the machines the harness runs on,
 * so the stack receives the reference service's spans itself (this very Node binary, type stripping).
 */
export class LocalOtlpReceiver extends LocalServiceBuilder {
  start(): Promise<StartedLocalOtlpReceiver> {
    const spansFileOf = (dir: string) => join(dir, 'spans.jsonl');
    return this.launch<StartedReceiver>({
      name: 'otlp',
      command: process.execPath,
      args: ({ port, workDir }) => [RECEIVER_SCRIPT, String(port), spansFileOf(workDir.path)],
      prepare: ({ workDir }) => writeFileSync(spansFileOf(workDir.path), ''),
      startupTimeoutMs: 30_000,
      stopTimeoutMs: 5_000,
      readyProbe: { httpPath: '/ready', what: (port) => `the OTLP receiver on 127.0.0.1:${port} to be ready` },
      started: (serverProcess, { port, workDir }) =>
        new StartedReceiver(serverProcess, port, `http://127.0.0.1:${port}`, workDir, spansFileOf(workDir.path)),
    });
  }
}
