import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../ports.ts';
import { ManagedProcess } from '../process.ts';
import { waitForHttp } from '../wait.ts';
import { withLogTail } from './log-tail.ts';
import { StartedLocalService } from './started-service.ts';
import { makeWorkDir } from './workdir.ts';

const RECEIVER_ENTRY = fileURLToPath(new URL('../otlp/receiver.ts', import.meta.url));

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

/**
 * Builder for the run's trace receiver: no OpenTelemetry Collector exists on the machines the harness runs on,
 * so the stack receives the reference service's spans itself (this very Node binary, type stripping).
 */
export class LocalOtlpReceiver {
  async start(): Promise<StartedLocalOtlpReceiver> {
    const workDir = makeWorkDir('otlp');
    try {
      const port = await freePort();
      const spansFile = join(workDir.path, 'spans.jsonl');
      writeFileSync(spansFile, '');
      const serverProcess = await ManagedProcess.start({
        name: 'otlp',
        command: process.execPath,
        args: [RECEIVER_ENTRY, String(port), spansFile],
        cwd: workDir.path,
        logFile: join(workDir.path, 'otlp.log'),
        stopTimeoutMs: 5_000,
      });
      const started = Object.assign(new StartedLocalService(serverProcess, port, `http://127.0.0.1:${port}`, workDir), {
        spansFile,
      });
      try {
        const exit = serverProcess.failOnExit();
        await Promise.race([
          exit.promise,
          waitForHttp(`${started.url}/ready`, {
            what: `the OTLP receiver on 127.0.0.1:${port} to be ready`,
            timeoutMs: 30_000,
            signal: exit.signal,
          }),
        ]);
      } catch (error) {
        const tail = serverProcess.logTail();
        await started.stop();
        throw withLogTail(error, serverProcess, tail);
      }
      return started;
    } catch (error) {
      workDir.remove();
      throw error;
    }
  }
}
