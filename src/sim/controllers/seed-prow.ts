// Seeded ProwJobs: some history (completed runs of the last hour, whose pods sinker already removed) and one fresh
// burst of presubmits for a PR, so the Prow screens have content from the first second.
import { jobProfiles, repos, authors, prTitles } from '../content/jobs.js';
import { between, buildId, pick, type Random } from '../content/names.js';
import { jobUrl, prowJobObject, sha } from '../content/prowjobs.js';
import { timestamp, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import type { SimContext } from './index.js';
import type { Kinds } from './kinds.js';
import { ensure } from './seed.js';

/** A completed ProwJob that started `agoSeconds` (real) seconds ago; run time is simulated, so it is scaled to real time. */
export function historicalProwJob(s: Scenario, random: Random, nowMs: number, agoSeconds: number, type: 'presubmit' | 'postsubmit' | 'periodic' = 'presubmit', timeScale = 1): KubeObject {
  const repo = pick(random, repos);
  const names = type === 'postsubmit' && repo.postsubmits.length ? repo.postsubmits : type === 'periodic' ? ['periodic-stale', 'periodic-stale-close'] : repo.presubmits;
  const name = pick(random, names);
  const profile = jobProfiles[name]!;
  const pulls = type === 'presubmit' ? [{ number: between(random, 1100, 1199), author: pick(random, authors), sha: sha(random), title: pick(random, prTitles) }] : [];
  const start = nowMs - agoSeconds * 1000;
  const pj = prowJobObject({ job: { name, type, profile }, refs: { org: repo.org, repo: repo.repo, baseRef: 'main', baseSha: sha(random), pulls }, namespace: s.prowNamespace, podNamespace: s.testPodsNamespace, nowMs: start, random });
  const build = buildId(start, random);
  const ran = between(random, profile.runSeconds[0], profile.runSeconds[1]);
  const state = random() < profile.failureRate * 1.5 ? 'failure' : random() < 0.03 ? 'aborted' : 'success';
  pj.status = {
    state,
    startTime: timestamp(start),
    pendingTime: timestamp(start + 2000),
    completionTime: timestamp(Math.min(nowMs, start + (8 + ran) * 1000 / timeScale)),
    pod_name: pj.metadata.name,
    build_id: build,
    url: jobUrl(pj, build),
    description: state === 'success' ? 'Job succeeded.' : state === 'failure' ? 'Job failed.' : 'Job aborted.',
    // What crier has reported for it.
    prev_report_states: { 'github-reporter': state, gcsk8sreporter: state, gcsreporter: state },
  };
  return pj;
}

/** History plus one burst of presubmits. */
export async function seedProwJobs(ctx: SimContext, k: Kinds): Promise<void> {
  const s = ctx.scenario;
  if (s.size) return; // seed-large.ts writes the jobs of sized scenarios
  const now = ctx.clock.now();
  // The last simulated hour, in real seconds, well inside sinker's retention.
  const scale = ctx.clock.timeScale;
  for (let i = 0; i < 12; i++) {
    const type = i % 6 === 5 ? 'periodic' : i % 4 === 3 ? 'postsubmit' : 'presubmit';
    await ensure(ctx.client, k.prowJobs, historicalProwJob(s, ctx.random, now, (3600 - i * 280) / scale, type, scale));
  }
  if (s.jobsPerMinute <= 0) return;
  const repo = repos[0]!;
  const pull = { number: 1201, author: pick(ctx.random, authors), sha: sha(ctx.random), title: pick(ctx.random, prTitles) };
  for (const name of repo.presubmits.slice(0, 4)) {
    await ensure(ctx.client, k.prowJobs, prowJobObject({ job: { name, type: 'presubmit', profile: jobProfiles[name]! }, refs: { org: repo.org, repo: repo.repo, baseRef: 'main', baseSha: sha(ctx.random), pulls: [pull] }, namespace: s.prowNamespace, podNamespace: s.testPodsNamespace, nowMs: now, random: ctx.random }));
  }
}
