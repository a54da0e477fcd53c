// The narrow client interface every module but client.ts uses: JSON requests with the server's warnings, and
// watch streams. client.ts implements it over @kubernetes/client-node; tests may implement it over anything
// that speaks the API.
import type { KubeError, Target } from './errors.js';

/** One HTTP request to the API server; the body is JSON unless a patch content type says otherwise. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  /** Aborts the request (a stopped watch's list, a cancelled runbook step). */
  signal?: AbortSignal;
}

/** The parsed answer plus the server's `Warning:` headers (dropped or unknown fields, deprecations). */
export interface KubeResponse<T = unknown> {
  body: T;
  warnings: string[];
}

/** Where a client points, for the status bar and error messages. */
export interface ConnectionTarget extends Target {
  context: string;
  cluster: string;
  user: string;
  namespace?: string;
  files: string[];
}

/** A watch stream in progress; `stop()` ends it without calling `onDone`. */
export interface WatchStream {
  stop(): void;
}

/** The narrow client every other module uses (tests may implement it over anything that speaks the API). */
export interface KubeClient {
  readonly target: ConnectionTarget;
  request<T = unknown>(request: KubeRequest): Promise<KubeResponse<T>>;
  /** Opens `?watch=true` on a path; onDone gets null for a clean end, else the error. Called at most once. */
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (error: KubeError | null) => void,
  ): WatchStream;
  /** Frees the keep-alive connections. */
  close(): void;
}
