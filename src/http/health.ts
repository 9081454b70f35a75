import type { Route } from './server';

export interface Health {
  /** False until the first catalogue is loaded. */
  ok: boolean;
  events: number;
  /** ISO time of the last reload, null before the first. */
  lastReload: string | null;
  /** Where the events come from and, for a git repository, the revision in service. */
  source?: object;
}

/** `/healthz`: JSON `{ok, events, lastReload}`, 200 when serving, 503 before the first catalogue. */
export function healthRoute(health: () => Health): Route {
  return {
    name: 'healthz',
    path: '/healthz',
    handle(_req, res) {
      const state = health();
      const body = Buffer.from(`${JSON.stringify(state)}\n`);
      res.writeHead(state.ok ? 200 : 503, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(res.req.method === 'HEAD' ? undefined : body);
    },
  };
}
