// Where ProwJobs come from: a simulated GitHub (PRs opened and pushed to, merges) drives "hook", which creates the
// repository's presubmits on each push and its postsubmits on each merge, and "horologium" starts each periodic
// once its interval has passed since the last run. Arrivals are a seeded Poisson process sized so that on average
// `jobsPerMinute` jobs start per simulated minute. GitHub's state (open PRs) is the only state kept outside the API.
// @see kubernetes-sigs/prow pkg/plugins/trigger (handlePR, handlePE), cmd/horologium/main.go
import { isAlreadyExists } from '../client.js';
import { authors, jobProfiles, periodics, prTitles, repos, type JobConfig, type RepoConfig } from '../content/jobs.js';
import { between, pick } from '../content/names.js';
import { prowJobObject, sha, type PullRef } from '../content/prowjobs.js';
import { getPath } from '../objects.js';
import type { ControllerEnv } from './env.js';

interface OpenPr extends PullRef {
  repo: RepoConfig;
}

/** The simulated GitHub plus hook and horologium. */
export class ProwTrigger {
  private readonly open: OpenPr[] = [];
  private nextPr = 1200;
  private stopped = false;
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(private readonly env: ControllerEnv) {}

  private job(name: string, type: JobConfig['type']): JobConfig {
    return { name, type, profile: jobProfiles[name]! };
  }

  private async create(job: JobConfig, repo: RepoConfig, pulls: PullRef[], baseSha: string): Promise<void> {
    const { env } = this;
    const pj = prowJobObject({ job, refs: { org: repo.org, repo: repo.repo, baseRef: 'main', baseSha, pulls }, namespace: env.scenario.prowNamespace, podNamespace: env.scenario.testPodsNamespace, nowMs: env.clock.now(), random: env.random });
    try {
      await env.client.create(env.kinds.prowJobs, pj);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** One GitHub event: a new PR, a push to an open PR (both trigger presubmits) or a merge (postsubmits). */
  async githubEvent(): Promise<number> {
    const { env } = this;
    const r = env.random();
    const base = sha(env.random);
    // About 15 % merges, 15 % pushes to an open PR (which supersede its running presubmits), 70 % new PRs.
    if (r < 0.15 && this.open.length > 0) {
      const pr = this.open.splice(Math.floor(env.random() * this.open.length), 1)[0]!;
      for (const job of pr.repo.postsubmits) await this.create(this.job(job, 'postsubmit'), pr.repo, [], base);
      return pr.repo.postsubmits.length;
    }
    let pr: OpenPr;
    if (r < 0.3 && this.open.length > 0) {
      pr = pick(env.random, this.open);
      pr.sha = sha(env.random);
    } else {
      pr = { repo: pick(env.random, repos), number: this.nextPr++ + between(env.random, 0, 3), author: pick(env.random, authors), sha: sha(env.random), title: pick(env.random, prTitles) };
      this.open.push(pr);
      if (this.open.length > 25) this.open.shift();
    }
    const pull: PullRef = { number: pr.number, author: pr.author, sha: pr.sha, title: pr.title };
    for (const job of pr.repo.presubmits) await this.create(this.job(job, 'presubmit'), pr.repo, [pull], base);
    return pr.repo.presubmits.length;
  }

  /** Starts each periodic whose interval has passed since its newest run (horologium). */
  async periodicPass(): Promise<void> {
    const { env } = this;
    const jobs = env.informers.of(env.kinds.prowJobs).list(env.scenario.prowNamespace, (pj) => getPath(pj, 'spec.type') === 'periodic');
    for (const job of periodics) {
      const last = jobs.filter((pj) => getPath(pj, 'spec.job') === job.name).map((pj) => Date.parse(String(getPath(pj, 'status.startTime')))).filter(Number.isFinite);
      const newest = last.length ? Math.max(...last) : undefined;
      if (newest !== undefined && env.clock.elapsedSim(newest) < job.intervalSeconds!) continue;
      const repo = repos.find((r) => r.repo === job.repo) ?? repos[0]!;
      await this.create(job, repo, [], sha(env.random));
    }
  }

  /** Starts the arrival loops; jobsPerMinute 0 starts nothing but periodics. */
  start(): void {
    const { env } = this;
    const perEvent = repos.reduce((n, r) => n + r.presubmits.length * 0.85 + r.postsubmits.length * 0.15, 0) / repos.length;
    const rate = env.scenario.jobsPerMinute;
    const loop = () => {
      if (this.stopped) return;
      // Exponential inter-arrival times with the mean that yields `rate` jobs per simulated minute.
      const mean = (perEvent / rate) * 60;
      const wait = -Math.log(1 - env.random()) * mean;
      this.timers.set('hook', env.clock.after(wait, () => {
        this.githubEvent().catch((err) => env.log(`hook: ${(err as Error).message}`)).finally(loop);
      }));
    };
    if (rate > 0) loop();
    const horologium = () => {
      if (this.stopped) return;
      this.periodicPass().catch((err) => env.log(`horologium: ${(err as Error).message}`)).finally(() => {
        if (!this.stopped) this.timers.set('horologium', env.clock.after(60, horologium));
      });
    };
    if (rate > 0) this.timers.set('horologium', env.clock.after(5, horologium));
  }

  /** Stops creating jobs. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
  }
}
