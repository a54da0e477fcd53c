// The header's facts as pure functions of the state: which cluster and how careful to be, how the API is reached
// (tunnel phase, bastion, round trip, or why it failed), how fresh the watched data and the metrics are.
import { humanAge } from '../../format/duration.js';
import type { TunnelState } from '../../tunnel/types.js';
import type { AppState } from '../../store/state.js';
import type { Tone } from '../theme.js';

/** A piece of the header with its tone. */
export interface HeaderPart {
  text: string;
  tone?: Tone;
}

/**
 * The tunnel: `tunnel ubuntu@203.0.113.10:22 ✓ rtt 12ms`, reconnecting with attempt and reason, or failed; `direct`
 * when the current context does not go through it (another context picked with `:ctx`).
 */
export function tunnelPart(tunnel: TunnelState | undefined, proxyUrl: string | undefined, nowMs: number, direct = false): HeaderPart {
  if (!tunnel || direct) {
    const text = proxyUrl ? `proxy ${proxyUrl} (from kubeconfig)` : 'no tunnel (direct)';
    return { text: tunnel ? `${text}; tunnel ${tunnel.target ?? ''} ${tunnel.phase} for the profile's context` : text, tone: 'muted' };
  }
  const target = tunnel.target ?? 'bastion';
  switch (tunnel.phase) {
    case 'connected':
      return { text: `tunnel ${target} ✓${tunnel.rttMs !== undefined ? ` rtt ${Math.round(tunnel.rttMs)}ms` : ''}`, tone: 'ok' };
    case 'connecting':
      return { text: `tunnel ${target} connecting${tunnel.attempt > 1 ? ` (attempt ${tunnel.attempt})` : ''}…`, tone: 'warn' };
    case 'reconnecting': {
      const next = tunnel.nextAttemptAt !== undefined ? ` in ${humanAge(Math.max(0, tunnel.nextAttemptAt - nowMs))}` : '';
      const reason = tunnel.lastError ? `: ${tunnel.lastError.message}` : '';
      return { text: `tunnel ${target} reconnecting${next} (attempt ${tunnel.attempt})${reason}`, tone: 'warn' };
    }
    case 'failed':
      return { text: `tunnel ${target} FAILED: ${tunnel.failure?.message ?? tunnel.lastError?.message ?? 'unknown reason'}`, tone: 'error' };
    case 'stopped':
      return { text: 'tunnel stopped', tone: 'muted' };
    case 'idle':
      return { text: 'tunnel idle', tone: 'muted' };
  }
}

/** The API: connecting, unreachable with the reason, or connected with the age of the newest event. */
export function apiPart(connection: AppState['connection'], newestEventAt: number | undefined, troubled: { kind: string; phase: string }[], nowMs: number): HeaderPart {
  switch (connection.status) {
    case 'idle':
      return { text: 'API not connected', tone: 'muted' };
    case 'connecting':
      return { text: `API connecting to ${connection.target?.server ?? '…'}`, tone: 'warn' };
    case 'failed':
      return { text: `API unreachable: ${connection.error ?? 'unknown error'}`, tone: 'error' };
    case 'closed':
      return { text: 'API disconnected', tone: 'warn' };
    case 'connected': {
      const version = connection.discovery?.serverVersion ?? '';
      const fresh = newestEventAt === undefined ? 'listing…' : `events ${humanAge(Math.max(0, nowMs - newestEventAt))} ago`;
      const trouble = troubled.length > 0 ? ` · watch ${troubled.map((t) => t.kind).join(',')} ${troubled.some((t) => t.phase === 'stopped') ? 'stopped' : 'retrying'}` : '';
      return { text: `API ${version} ${fresh}${trouble}`.replace(/\s+/g, ' '), tone: trouble ? 'warn' : 'ok' };
    }
  }
}

/** Metrics: the age of the last poll, or `n/a` with the reason the metrics API is missing. */
export function metricsPart(metrics: Pick<AppState['metrics'], 'available' | 'reason' | 'error'> & { lastPollAt?: number }, nowMs: number): HeaderPart {
  if (metrics.available === false) return { text: `metrics n/a: ${metrics.reason ?? 'the metrics API is not served'}`, tone: 'warn' };
  if (metrics.error) return { text: `metrics error: ${metrics.error}`, tone: 'warn' };
  if (metrics.available === undefined) return { text: 'metrics …', tone: 'muted' };
  if (metrics.lastPollAt === undefined) return { text: 'metrics: first poll pending', tone: 'muted' };
  return { text: `metrics ${humanAge(Math.max(0, nowMs - metrics.lastPollAt))} ago`, tone: 'ok' };
}
