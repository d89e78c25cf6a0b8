// The recipe of docs/kubernetes.md ("Run under Podman"): the dev overlay under `podman kube play` (stack/kube/play.ts)
// until Ctrl-C, with the URLs to give `harness verify --stack external`. Needs Podman (4.3 or later, as root),
// catatonit (scripts/setup.sh installs it) and the offline images (scripts/build-offline-images.sh).
//   node scripts/kube-play.ts            fault injection off, as the manifests have it
//   node scripts/kube-play.ts --faults   on, with a new admin token printed, for PUT /admin/faults (docs/api.md)
// Ctrl-C (or SIGTERM) stops it: the pods, their volumes, the network and the Prometheus go, and it exits 0.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startKubePlay } from '../stack/kube/play.ts';
import { nextShutdownSignal } from '../stack/teardown.ts';

const { values } = parseArgs({ options: { faults: { type: 'boolean', default: false } } });
const token = values.faults ? randomBytes(32).toString('hex') : undefined;
const say = (line: string) => console.log(line);

try {
  const started = await startKubePlay({ faultsAdminToken: token, log: say });
  say('');
  say(`export API_URL=${started.apiUrl}`);
  say(`export PROMETHEUS_URL=${started.prometheusUrl}`);
  if (token) say(`export MYSTOCKS_FAULTS_ADMIN_TOKEN=${token}`);
  say('npx harness verify --stack external --skip e2e');
  say('');
  say('Running; Ctrl-C stops it and removes its pods, volumes and network.');
  const signal = await nextShutdownSignal();
  say(`${signal}: stopping`);
  await started.stop();
  say('stopped');
} catch (error) {
  console.error(`kube play: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
