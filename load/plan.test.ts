// load/plan.ts generatorShare: what one generator of N runs, whether the N run side by side in one `harness load
// --generators N` or each alone (`--generators N --generator-index I`, a pod of deploy/k8s/load-generator's
// Indexed Job): its share of every phase and its Pushgateway grouping key. Hand-computed shares of a real profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatorShare, type LoadPlan } from './plan.ts';
import { getProfile, isPause, type PlanPhase, toArtilleryPhases, warmupPhase } from './profiles.ts';

/** The plan `harness load --profile average --run-id nightly` hands Artillery: the warm-up first, then the profile. */
function averagePlan(): LoadPlan {
  const profile = getProfile('average');
  return {
    runId: 'nightly',
    profile: 'average',
    target: 'https://mystocks.example.com',
    phases: toArtilleryPhases({ ...profile, phases: [warmupPhase(profile)!, ...profile.phases] }),
    scenarios: [],
    occasionalPct: 10,
  };
}

/** A phase's arrival rate at its start and at its end; a pause (a share of nothing) is 0 at both. */
const ends = (p: PlanPhase): [number, number] => (isPause(p) ? [0, 0] : [p.arrivalRate, p.rampTo ?? p.arrivalRate]);

describe('load/plan.ts generatorShare', () => {
  it("gives generator 2 of 4 its quarter of average: whole arrivals of a constant rate, a ramp's ends divided", () => {
    const { plan, workerId } = generatorShare(averagePlan(), 4, 1);
    // warm-up 1/s over 4: 1, 0, 0, 0 (the first gets it; a share of 0 is a 10 s pause); ramp 1->5 as
    // 0.25->1.25; hold 5/s as 2, 1, 1, 1; ramp-down 5->1 as 1.25->0.25; maxVusers 200 as 50 each.
    assert.deepEqual(
      plan.phases.map((p) =>
        isPause(p) ? [p.name, 'pause', p.pause] : [p.name, p.arrivalRate, p.rampTo, p.maxVusers],
      ),
      [
        ['warm-up', 'pause', 10],
        ['ramp-up', 0.25, 1.25, 50],
        ['hold', 1, undefined, 50],
        ['ramp-down', 1.25, 0.25, 50],
      ],
    );
    assert.equal(workerId, 'nightly-g2');
    assert.equal(plan.runId, 'nightly', 'every generator keeps the run id: one run_id label in Prometheus');
  });

  it('hands out the whole: the 4 shares add up to the profile at every phase', () => {
    const whole = averagePlan();
    const shares = [0, 1, 2, 3].map((i) => generatorShare(whole, 4, i).plan.phases);
    whole.phases.forEach((phase, p) => {
      assert.deepEqual(
        shares.reduce<[number, number]>(([from, to], s) => [from + ends(s[p]!)[0], to + ends(s[p]!)[1]], [0, 0]),
        ends(phase),
        phase.name,
      );
    });
    assert.deepEqual(
      shares.map((s) => ends(s[2]!)[0]),
      [2, 1, 1, 1],
    );
  });

  it('refuses an index outside 0 to N-1', () => {
    assert.throws(() => generatorShare(averagePlan(), 4, 4), {
      name: 'RangeError',
      message: 'generator 4 of 4: the index must be a whole number from 0 to 3',
    });
    assert.throws(() => generatorShare(averagePlan(), 2, 0.5), RangeError);
  });
});
