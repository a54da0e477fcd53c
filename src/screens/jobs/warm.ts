// Keeps the Prow jobs table summarised while another screen shows (store/warm.ts says why), on the same clock and
// through the same memoised selector as the jobs screen, so the screen finds its rows ready.
import { useEffect, useRef } from 'react';
import type { AppStore } from '../../store/app-store.js';
import { selectProwJobs } from '../../store/selectors.js';
import { keepWarm, prowJobsChanged } from '../../store/warm.js';

/** The jobs screen's id (keymap.ts screenIds). */
const jobsScreen = 'jobs';

/** Warms the jobs table half a second after ProwJobs or pods change, unless the jobs screen shows (it reads them). */
export function useWarmJobsTable(store: AppStore, now: number): void {
  const clock = useRef(now);
  clock.current = now;
  useEffect(
    () => keepWarm(store, prowJobsChanged, (s) => {
      if (s.ui.screen !== jobsScreen) selectProwJobs(s, clock.current);
    }),
    [store],
  );
}
